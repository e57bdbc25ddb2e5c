// Writes constructs/API.md, the API reference of @ticketkit/constructs, from the doc comments of what
// constructs/index.ts exports: `npm run docs:api`. Refuses (and names) any optional prop of an exported
// construct that does not document its @default. test/constructs/api-reference.test.ts keeps the
// committed file current.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
export const API_REFERENCE_PATH = `${root}constructs/API.md`;

interface PropRow {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  readonly defaultText?: string;
  readonly description: string;
}

/** The reference as Markdown; throws when an exported construct leaves an optional prop's @default undocumented. */
export function renderApiReference(): string {
  const program = ts.createProgram([`${root}constructs/index.ts`], buildOptions());
  const checker = program.getTypeChecker();
  const entry = checker.getSymbolAtLocation(program.getSourceFile(`${root}constructs/index.ts`)!)!;
  const exported = checker
    .getExportsOfModule(entry)
    .map((symbol) => ({ name: symbol.getName(), symbol: symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol }))
    .sort((a, b) => a.name.localeCompare(b.name));

  const undocumented: string[] = [];
  const constructs: string[] = [];
  const types: string[] = [];
  const values: string[] = [];
  const shownWithConstruct = new Set<string>();
  for (const { symbol } of exported) {
    const declaration = symbol.declarations?.[0];
    if (declaration && ts.isClassDeclaration(declaration)) {
      const propsType = declaration.members.find(ts.isConstructorDeclaration)?.parameters[2]?.type;
      if (propsType) for (const part of propsType.getText().split('&')) shownWithConstruct.add(part.trim());
    }
  }
  for (const { name, symbol } of exported) {
    if (shownWithConstruct.has(name)) continue;
    const declaration = symbol.declarations?.[0];
    if (!declaration) continue;
    const doc = documentation(symbol, checker);
    if (ts.isClassDeclaration(declaration)) {
      const section = classSection(name, declaration, doc, checker, undocumented);
      (section.isConstruct ? constructs : types).push(section.text);
    } else if (ts.isInterfaceDeclaration(declaration)) {
      types.push(interfaceSection(name, checker.getDeclaredTypeOfSymbol(symbol), doc, checker));
    } else if (ts.isTypeAliasDeclaration(declaration)) {
      types.push(`### ${name}\n\n${doc}\n\n\`\`\`ts\ntype ${name} = ${oneLine(declaration.type.getText())}\n\`\`\`\n`);
    } else if (ts.isFunctionDeclaration(declaration)) {
      const signature = checker.signatureToString(checker.getSignaturesOfType(checker.getTypeOfSymbol(symbol), ts.SignatureKind.Call)[0]!);
      values.push(`### ${name}\n\n\`${name}${signature}\`\n\n${doc}\n`);
    } else if (ts.isVariableDeclaration(declaration)) {
      values.push(`### ${name}\n\n${doc}\n`);
    }
  }
  if (undocumented.length > 0) {
    throw new Error(`Optional props without @default (document what happens when they are left out): ${undocumented.join(', ')}.`);
  }
  return [
    '# @ticketkit/constructs API reference',
    '',
    '<!-- Generated from the doc comments of constructs/index.ts by `npm run docs:api`; do not edit by hand. -->',
    '',
    'Every construct takes `(scope, id, props)`; its resources are `public readonly` properties. Optional props say',
    'what happens when left out (`@default`). `production` (default `true`) switches every construct between its',
    'production posture and a cheaper, disposable development one.',
    '',
    '## Constructs',
    '',
    ...constructs,
    '## Props, options and types',
    '',
    ...types,
    '## Functions and constants',
    '',
    ...values,
  ].join('\n');
}

function buildOptions(): ts.CompilerOptions {
  const configPath = `${root}constructs/tsconfig.build.json`;
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, `${root}constructs`);
  return { ...parsed.options, noEmit: true };
}

function classSection(name: string, declaration: ts.ClassDeclaration, doc: string, checker: ts.TypeChecker, undocumented: string[]): { isConstruct: boolean; text: string } {
  const type = checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(declaration.name!)!) as ts.InterfaceType;
  const isConstruct = checker.getBaseTypes(type).some(function derives(base: ts.BaseType): boolean {
    return base.symbol?.getName() === 'Construct' || checker.getBaseTypes(base as ts.InterfaceType).some(derives);
  });
  const constructor = declaration.members.find(ts.isConstructorDeclaration);
  const lines = [`### ${name}`, '', doc, ''];
  if (isConstruct && constructor) {
    const parameters = constructor.parameters.map((p) => `${p.name.getText()}${p.questionToken || p.initializer ? '?' : ''}: ${p.type?.getText() ?? 'unknown'}`);
    lines.push('```ts', `new ${name}(${parameters.join(', ')})`, '```', '');
    const propsParameter = constructor.parameters[2];
    if (propsParameter) {
      const rows = ownProps(checker.getTypeAtLocation(propsParameter), checker);
      for (const row of rows) if (row.optional && row.defaultText === undefined) undocumented.push(`${name} ${row.name}`);
      lines.push(`Props (\`${propsParameter.type?.getText()}\`):`, '', ...propTable(rows), '');
    }
  }
  const members = declaration.members.filter(
    (member) => (ts.isPropertyDeclaration(member) || ts.isGetAccessorDeclaration(member)) && isPublic(member) && !(ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Static),
  );
  if (members.length > 0) {
    lines.push(isConstruct ? 'Resources and attributes:' : 'Members:', '');
    for (const member of members) {
      const symbol = checker.getSymbolAtLocation(member.name!)!;
      const memberType = checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, member));
      const memberDoc = documentation(symbol, checker);
      lines.push(`- \`${member.name!.getText()}\`: \`${memberType}\`${memberDoc ? ` — ${oneLine(memberDoc)}` : ''}`);
    }
    lines.push('');
  }
  const statics = declaration.members.filter((member) => ts.isMethodDeclaration(member) && isPublic(member) && ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Static);
  if (statics.length > 0) {
    lines.push('Factories:', '');
    for (const member of statics) {
      const symbol = checker.getSymbolAtLocation(member.name!)!;
      const signature = checker.signatureToString(checker.getSignatureFromDeclaration(member as ts.MethodDeclaration)!);
      lines.push(`- \`${name}.${member.name!.getText()}${signature}\`: ${oneLine(documentation(symbol, checker))}`);
    }
    lines.push('');
  }
  return { isConstruct, text: lines.join('\n') };
}

function interfaceSection(name: string, type: ts.Type, doc: string, checker: ts.TypeChecker): string {
  const rows = ownProps(type, checker);
  return [`### ${name}`, '', doc, '', ...(rows.length > 0 ? propTable(rows) : []), ''].join('\n');
}

/** The properties declared in this repository (inherited ones included, aws-cdk-lib's StackProps left out). */
function ownProps(type: ts.Type, checker: ts.TypeChecker): PropRow[] {
  return checker
    .getPropertiesOfType(type)
    .filter((property) => property.declarations?.some((d) => !d.getSourceFile().fileName.includes('/node_modules/')))
    .map((property) => {
      const declaration = property.declarations![0]!;
      const defaultTag = property.getJsDocTags(checker).find((tag) => tag.name === 'default');
      const propertyType = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(property, declaration));
      return {
        name: property.getName(),
        type: checker.typeToString(propertyType),
        optional: (property.flags & ts.SymbolFlags.Optional) !== 0,
        defaultText: defaultTag ? ts.displayPartsToString(defaultTag.text).trim() : undefined,
        description: documentation(property, checker),
      };
    });
}

function propTable(rows: readonly PropRow[]): string[] {
  const cell = (text: string) => oneLine(text).replaceAll('|', '\\|');
  return [
    '| Prop | Type | Default | Description |',
    '|---|---|---|---|',
    ...rows.map((row) => `| \`${row.name}\`${row.optional ? '' : ' (required)'} | \`${cell(row.type)}\` | ${row.optional ? cell(row.defaultText ?? '') : ''} | ${cell(row.description)} |`),
  ];
}

function documentation(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  return ts
    .displayPartsToString(symbol.getDocumentationComment(checker))
    .replace(/\{@link\s+([^}\s|]+)[^}]*\}/g, '`$1`')
    .trim();
}

function isPublic(member: ts.ClassElement): boolean {
  const flags = ts.getCombinedModifierFlags(member as ts.Declaration);
  return !(flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !(member.name && ts.isPrivateIdentifier(member.name));
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(API_REFERENCE_PATH, renderApiReference());
  console.log(`wrote ${API_REFERENCE_PATH}`);
}
