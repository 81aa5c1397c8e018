/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * A walk over the node description as n8n receives it (built from dist/), checking
 * the conventions n8n's reviewers check, some of which its lint rules cannot see
 * across files: sorted options, actions, required fields with defaults, encoded paths.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type {
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeType,
} from 'n8n-workflow';

const root = path.resolve(__dirname, '..');
const { Crego } = require(path.join(root, 'dist/nodes/Crego/Crego.node.js')) as {
	Crego: new () => INodeType;
};
const description = new Crego().description;

type AnyOption = INodeProperties | INodePropertyOptions | INodePropertyCollection;

/** Every property, including those nested in collections, with the path to it. */
function allProperties(
	properties: INodeProperties[],
	prefix = '',
): Array<{ path: string; property: INodeProperties }> {
	return properties.flatMap((property) => {
		const here = { path: `${prefix}${property.name}`, property };
		const nested = (property.options ?? []).filter(
			(option): option is INodeProperties => 'type' in option,
		);
		return [here, ...allProperties(nested, `${prefix}${property.name}.`)];
	});
}

const properties = allProperties(description.properties);
const optionLists = properties.filter(
	({ property }) => Array.isArray(property.options) && property.options.length > 0,
);

test('every options list is sorted by name, as n8n lint and reviewers want', () => {
	const unsorted = optionLists
		.map(({ path: where, property }) => ({
			where,
			names: (property.options as AnyOption[]).map((o) =>
				String('displayName' in o ? o.displayName : o.name),
			),
		}))
		.filter(
			({ names }) =>
				names.join('\n') !==
				[...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })).join('\n'),
		);
	expect(unsorted).toEqual([]);
	expect(optionLists.length).toBeGreaterThanOrEqual(6);
});

test('resource and operation come first and take no data expressions', () => {
	expect(description.properties[0].name).toBe('resource');
	const selectors = properties.filter(
		({ property }) => property.name === 'resource' || property.name === 'operation',
	);
	expect(selectors.length).toBe(7);
	for (const { property } of selectors) expect(property.noDataExpression).toBe(true);
});

test('every operation has a sentence-case action without articles, naming its resource, and a description', () => {
	const operations = properties
		.filter(({ property }) => property.name === 'operation')
		.flatMap(({ property }) => property.options as INodePropertyOptions[]);
	expect(operations.map((o) => o.value).sort()).toEqual([
		'get',
		'getAll',
		'initiateAdjustment',
		'initiateRefund',
		'process',
		'requestTranche',
		'send',
		'updateLoanParams',
	]);
	for (const operation of operations) {
		expect(operation.description).toMatch(/^[A-Z].{10,}/);
		// Sentence case: capital first letter, lower case after it, except acronyms such as API.
		const [first, ...rest] = operation.action!.split(' ');
		expect(first).toMatch(/^[A-Z][a-z]+$/);
		for (const word of rest) expect(word).toMatch(/^([a-z]+|[A-Z]{2,})$/);
		// n8n's UX guidelines: omit articles, repeat the resource ("Update row in sheet").
		expect(
			operation
				.action!.split(' ')
				.filter((word) => ['a', 'an', 'the'].includes(word.toLowerCase())),
		).toEqual([]);
	}
	const resources = (
		properties.find(({ property }) => property.name === 'resource')!.property
			.options as INodePropertyOptions[]
	).map((o) => String(o.value));
	for (const { property } of properties.filter(({ property }) => property.name === 'operation')) {
		const [resource] = property.displayOptions!.show!.resource as string[];
		const noun = { apiRequest: 'API request' }[resource] ?? resource;
		expect(resources).toContain(resource);
		for (const option of property.options as INodePropertyOptions[])
			expect(option.action!.toLowerCase()).toContain(noun.toLowerCase().replace(/s$/, ''));
	}
});

test('every required parameter has a description and a default of its own type', () => {
	const required = properties.filter(({ property }) => property.required);
	expect(required.length).toBeGreaterThanOrEqual(12);
	const problems = required.flatMap(({ path: where, property }) => {
		const issues: string[] = [];
		if (!property.description || property.description.length < 10)
			issues.push(`${where}: no description`);
		const expectedType = {
			string: 'string',
			dateTime: 'string',
			number: 'number',
			boolean: 'boolean',
			options: 'string',
		}[property.type as string];
		if (expectedType && typeof property.default !== expectedType)
			issues.push(`${where}: default is not a ${expectedType}`);
		if (
			property.type === 'options' &&
			!(property.options as INodePropertyOptions[]).some((o) => o.value === property.default)
		) {
			issues.push(`${where}: default is not one of its options`);
		}
		const placeholders =
			property.type === 'resourceLocator'
				? (property.modes ?? []).map((mode) => mode.placeholder)
				: [property.placeholder];
		if (
			['string', 'dateTime', 'resourceLocator'].includes(property.type) &&
			!placeholders.every((placeholder) => placeholder?.startsWith('e.g. '))
		) {
			issues.push(`${where}: no "e.g." placeholder`);
		}
		return issues;
	});
	expect(problems).toEqual([]);
});

/** Whether a property is shown on a node of this version (its `@version` display option). */
function shownInVersion(property: INodeProperties, version: number): boolean {
	const wanted = property.displayOptions?.show?.['@version'];
	if (!wanted) return true;
	return wanted.some((condition) =>
		typeof condition === 'object' && condition !== null && '_cnd' in condition
			? 'gte' in condition._cnd && version >= (condition._cnd.gte as number)
			: condition === version,
	);
}

test('the node has versions 1 and 2, a new node gets 2', () => {
	expect(description.version).toEqual([1, 2]);
	expect(description.defaultVersion).toBe(2);
});

test.each([1, 2])(
	'version %i: no parameter name is reused with a different type (a type changes only between versions)',
	(version) => {
		const typesByName = new Map<string, Set<string>>();
		for (const { path: where, property } of allProperties(
			description.properties.filter((property) => shownInVersion(property, version)),
		)) {
			if (!shownInVersion(property, version)) continue;
			const types = typesByName.get(where) ?? new Set<string>();
			types.add(property.type);
			typesByName.set(where, types);
		}
		const conflicts = [...typesByName]
			.filter(([, types]) => types.size > 1)
			.map(([name, types]) => `${name}: ${[...types]}`);
		expect(conflicts).toEqual([]);
	},
);

test('version 2: Loan, Payout and Record IDs are resource locators By ID with a UUID check; version 1 keeps text', () => {
	// Top-level IDs, and the settlements' Loan ID filter with its collection's version.
	const ids = description.properties.flatMap((property) =>
		['loanId', 'payoutId', 'recordId'].includes(property.name)
			? [{ property }]
			: property.name === 'filters'
				? (property.options as INodeProperties[])
						.filter((option) => option.name === 'loanId')
						.map((option) => ({
							property: { ...option, displayOptions: property.displayOptions },
						}))
				: [],
	);
	const v2 = ids.filter(({ property }) => property.type === 'resourceLocator');
	expect(v2.length).toBeGreaterThanOrEqual(6);
	for (const { property } of v2) {
		expect(property.modes?.map((mode) => mode.name)).toEqual(['id']);
		const [regex] = (property.modes![0].validation ?? []).map(
			(rule) => (rule as unknown as { properties: { regex: string } }).properties.regex,
		);
		const check = new RegExp(`^${regex}$`);
		expect(check.test('4541ca25-cf98-4b75-a2c8-db7d5a6b9e69')).toBe(true);
		expect(check.test(' 4541CA25-CF98-4B75-A2C8-DB7D5A6B9E69 ')).toBe(true);
		expect(check.test('4541ca25-cf98-4b75-a2c8')).toBe(false);
		expect(check.test('')).toBe(!property.required);
		expect(property.modes![0].placeholder).toMatch(/^e\.g\. /);
	}
	const v1 = ids.filter(({ property }) => property.type !== 'resourceLocator');
	expect(v1.length).toBe(v2.length);
	for (const { property } of v1) {
		expect(property.type).toBe('string');
		expect(shownInVersion(property, 1) && !shownInVersion(property, 2)).toBe(true);
	}
	for (const { property } of v2)
		expect(!shownInVersion(property, 1) && shownInVersion(property, 2)).toBe(true);
});

test('every path segment built from user input is URL-encoded', () => {
	const operationFiles = (dir: string): string[] =>
		readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
			entry.isDirectory()
				? operationFiles(path.join(dir, entry.name))
				: entry.name.endsWith('.operation.ts')
					? [path.join(dir, entry.name)]
					: [],
		);
	const files = operationFiles(path.join(root, 'nodes/Crego/actions'));
	expect(files).toHaveLength(8);
	for (const file of files) {
		const source = readFileSync(file, 'utf8');
		const paths = [...source.matchAll(/(?<!const )\bpath:\s*(`[^`]*`|'[^']*'|\w+)/g)].map(
			(m) => m[1],
		);
		expect(paths.length).toBeGreaterThan(0);
		for (const value of paths) {
			if (/^\w+$/.test(value)) {
				// A whole path from the user (API Request) must come through the /v1/lms/ path guard.
				expect(source).toMatch(new RegExp(`const ${value} = readField\\([^;]*parseLmsPath\\)`));
				continue;
			}
			const interpolations = [...value.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
			for (const expression of interpolations)
				expect(`${path.basename(file)}: ${expression}`).toMatch(/: encodeURIComponent\(/);
		}
	}
});

test('the node is usable as a tool, has a subtitle, both icons and a codex, next to the built node', () => {
	expect(description.usableAsTool).toBe(true);
	expect(description.subtitle).toContain('$parameter["operation"]');
	const folder = path.join(root, 'dist/nodes/Crego');
	const icon = description.icon as { light: string; dark: string };
	expect(existsSync(path.join(folder, icon.light.replace('file:', '')))).toBe(true);
	expect(existsSync(path.join(folder, icon.dark.replace('file:', '')))).toBe(true);
	const codex = JSON.parse(readFileSync(path.join(folder, 'Crego.node.json'), 'utf8'));
	expect(codex).toMatchObject({
		node: 'n8n-nodes-crego.crego',
		categories: ['Finance & Accounting'],
	});
	expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
});

test("the Docs link opens as written: the node's own absolute URL (n8n appends its tracking parameters only to the codex link, after any #anchor)", () => {
	expect(description.documentationUrl).toMatch(
		/^https:\/\/github\.com\/crego-n8n\/n8n-nodes-crego#operations$/,
	);
	const codex = JSON.parse(
		readFileSync(path.join(root, 'dist/nodes/Crego/Crego.node.json'), 'utf8'),
	);
	const links = Object.values(codex.resources as Record<string, Array<{ url: string }>>)
		.flat()
		.map((link) => link.url);
	expect(links.length).toBeGreaterThan(0);
	for (const link of links) expect(link).not.toContain('#');
});
