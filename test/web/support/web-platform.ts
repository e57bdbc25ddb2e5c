import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../../support/api.ts';
import { HttpClient, logIn } from '../../support/http-client.ts';
import { ensureSiteBuilt } from './site-build.ts';

export interface WebPlatform {
  platform: TestPlatform;
  api: TestInstance;
  /** The organizer, logged in: creates the events the browsers open. */
  organizerClient: HttpClient;
}

/** What a browser test file starts from: the built buyer page, a platform of its own with one instance, the organizer. */
export async function startWebPlatform(overrides: Record<string, string> = {}): Promise<WebPlatform> {
  await ensureSiteBuilt();
  const platform = await createTestPlatform(overrides);
  const api = await platform.startInstance();
  const organizerClient = new HttpClient(api.url);
  await logIn(organizerClient, organizer.email, organizer.password);
  return { platform, api, organizerClient };
}
