#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Writes the schema previews n8n's editor shows before a node has run:
 * dist/nodes/Crego/__schema__/v<version>/<resource>/<operation>.json, one per operation,
 * built from the description of Crego's objects (nodes/Crego/model/cregoObjects.ts) that
 * Simplify and the sandbox use too. Run by `npm run build`, after tsc.
 *
 * One folder per node version (v1.0.0, v2.0.0), each file describing what the user gets
 * by default in that version: version 1 Simplify on (the fields marked simple), version 2
 * Output Simplified (the ten of TEN_FIELDS, in order); timestamps as ISO text. Raw and
 * Selected Fields output those and Crego's other fields. A write's item also says which
 * row it belongs to and what the row sent (`sent`), and may be the node's marker for a row
 * it did not send again; those fields are described too. API Request gets none: its
 * answer is whatever the chosen path returns.
 */

const fs = require('node:fs');
const path = require('node:path');

const dist = path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'Crego');
const { CREGO_OBJECTS, TEN_FIELDS, jsonTypesOf, nestedName } = require(
	path.join(dist, 'model', 'cregoObjects'),
);
const { OPERATIONS } = require(path.join(dist, 'actions', 'operations'));
const { mayWrite } = require(path.join(dist, 'vocabulary', 'operation'));
const { Crego } = require(path.join(dist, 'Crego.node'));

/** Fields of the item a write gives for a row it did not send again (writeSafety/writeSafety.ts). */
const REPEAT_FIELDS = {
	alreadySent: {
		type: 'boolean',
		description: 'True: this row was not sent again, an earlier run did it',
	},
	reason: { type: 'string', description: 'Why the row was not sent again' },
	sentOn: { type: 'string', description: 'Business day of the earlier send' },
	sentInExecution: { type: 'string', description: 'Execution that sent it' },
	sentAt: { type: 'string', description: 'When it was sent' },
	alreadyDone: {
		type: 'boolean',
		description: "True: n8n's Retry found this row already done in the failed run",
	},
};

/** `sent` on a write's item: the row's number and what it sent, by the request's own names (run/sendItem.ts). */
const SENT_FIELD = {
	type: 'object',
	description: 'Which row this is and what it sent',
	properties: {
		row: { type: 'integer', description: 'Row in your sheet (Options → Row Number)' },
		item: {
			type: 'integer',
			description: "n8n's item number, from 0 (when Row Number is not set)",
		},
		reference: { type: 'string', description: 'Your Reference (Options → Reference)' },
		loan_id: { type: 'string', description: 'Loan ID' },
		amount: { type: 'number', description: 'Amount in rupees' },
		type: { type: 'string', description: 'Refund or adjustment type' },
		payout_id: { type: 'string', description: 'Payout ID' },
		utr: { type: 'string', description: "The bank's UTR" },
		processed_at: { type: 'integer', description: 'Processed at, Unix seconds' },
		debit_bank_id: { type: 'string', description: 'Debit bank account ID' },
		debit_bank_account_no: { type: 'string', description: 'Debit bank account number' },
		lead_id: { type: 'string', description: 'Lead ID' },
		program_id: { type: 'string', description: 'Program ID' },
	},
};

/**
 * The JSON types of a field, the one Simplify (on by default) gives first: the editor
 * shows the first. Simplify turns timestamps into ISO text, so a timestamp is either.
 * Null is said with `nullable` (OpenAPI's keyword, which validators such as Ajv read):
 * n8n's editor shows no preview at all when a type list holds "null" (tried on 2.41.1).
 */
function typesOf(field) {
	const types = jsonTypesOf(field).filter((type) => type !== 'null');
	return field.kind === 'timestamp' ? ['string', ...types] : types;
}

function propertySchema(field, depth) {
	const types = typesOf(field);
	const schema = { type: types.length === 1 ? types[0] : types };
	if (field.nullable) schema.nullable = true;
	if (field.about) schema.description = field.about;
	const nested = nestedName(field);
	if (nested) schema.properties = keptProperties(nested, depth);
	if (field.kind === 'textList') schema.items = { type: 'string' };
	return schema;
}

/**
 * The fields the default output keeps, at every depth, in the order it puts them out:
 * version 1's Simplify (`simple`, Crego's order) or version 2's Simplified (`ten`,
 * TEN_FIELDS' order; a nested object without ten keeps its simple fields, as the run
 * does). A field only an expansion of a read brings (`optional`, e.g. a record's payouts)
 * is not listed for a write, which never asks for it.
 */
function keptProperties(name, depth, { expansions = true } = {}) {
	const spec = CREGO_OBJECTS[name];
	const names =
		depth === 'ten' && TEN_FIELDS[name]
			? TEN_FIELDS[name]
			: Object.keys(spec).filter((field) => spec[field].simple);
	const listed = names.filter((field) => expansions || !spec[field].optional);
	return Object.fromEntries(listed.map((field) => [field, propertySchema(spec[field], depth)]));
}

function outputSchema(operation, depth) {
	const write = mayWrite(operation);
	const properties =
		operation.output === 'empty'
			? {}
			: keptProperties(operation.output, depth, { expansions: !write });
	return {
		type: 'object',
		properties: write ? { ...properties, sent: SENT_FIELD, ...REPEAT_FIELDS } : properties,
	};
}

/** Each version's default output: version 1 Simplify on, version 2 Output Simplified. */
const DEPTH_OF_VERSION = { 1: 'simple', 2: 'ten' };

function main() {
	const { version } = new Crego().description;
	fs.rmSync(path.join(dist, '__schema__'), { recursive: true, force: true });
	for (const each of [version].flat()) {
		const depth = DEPTH_OF_VERSION[each];
		if (!depth)
			throw new Error(`scripts/build/schemas.js: no output depth for node version ${each}`);
		// n8n pads the version the same way: 1 → 1.0.0.
		const padded = String(each).split('.').concat(['0', '0']).slice(0, 3).join('.');
		const folder = path.join(dist, '__schema__', `v${padded}`);
		let written = 0;
		for (const [resource, operations] of Object.entries(OPERATIONS)) {
			for (const [name, operation] of Object.entries(operations)) {
				if (operation.output === 'any') continue;
				const file = path.join(folder, resource, `${name}.json`);
				fs.mkdirSync(path.dirname(file), { recursive: true });
				fs.writeFileSync(file, `${JSON.stringify(outputSchema(operation, depth), null, '\t')}\n`);
				written++;
			}
		}
		console.log(`schema previews: ${written} in ${path.relative(process.cwd(), folder)}`);
	}
}

main();
