import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';

/** Registers the four cdk-nag 3 packs as validation plugins: they run when the app synthesises. */
export function addNagPacks(app: App): void {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new PCIDSS321Checks(app),
    new NIST80053R5Checks(app),
    new HIPAASecurityChecks(app),
  );
}
