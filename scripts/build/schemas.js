#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Writes the schema previews n8n's editor shows before a node has run:
 * dist/nodes/Crego/__schema__/v<version>/<resource>/<operation>.json, one per operation,
 * built from the description of Crego's objects (nodes/Crego/model/cregoObjects.ts) that
 * Simplify and the sandbox use too. Run by `npm run build`, after tsc.
 *
 * One file serves Simplify on and off; it describes what the user gets by default,
 * Simplify on: the fields Simplify keeps (timestamps as ISO text), so the preview lists
 * what a run will put out. With Simplify off the run outputs these and Crego's other
 * fields. A write's item also says which row it belongs to and what the row sent
 * (`sent`), and may be the node's marker for a row it did not send again; those fields
 * are described too. API Request gets none: its answer is whatever the chosen path returns.
 */

const fs = require('node:fs');
const path = require('node:path');

const dist = path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'Crego');
const { CREGO_OBJECTS, jsonTypesOf, nestedName } = require(
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

function propertySchema(field) {
	const types = typesOf(field);
	const schema = { type: types.length === 1 ? types[0] : types };
	if (field.nullable) schema.nullable = true;
	if (field.about) schema.description = field.about;
	const nested = nestedName(field);
	if (nested) schema.properties = simpleProperties(CREGO_OBJECTS[nested]);
	if (field.kind === 'textList') schema.items = { type: 'string' };
	return schema;
}

/**
 * The fields Simplify keeps, at every depth. A field only an expansion of a read brings
 * (`optional`, e.g. a record's payouts) is not listed for a write, which never asks for it.
 */
function simpleProperties(spec, { expansions = true } = {}) {
	const listed = Object.entries(spec).filter(
		([, field]) => field.simple && (expansions || !field.optional),
	);
	return Object.fromEntries(listed.map(([name, field]) => [name, propertySchema(field)]));
}

function outputSchema(operation) {
	const write = mayWrite(operation);
	const properties =
		operation.output === 'empty'
			? {}
			: simpleProperties(CREGO_OBJECTS[operation.output], { expansions: !write });
	return {
		type: 'object',
		properties: write ? { ...properties, sent: SENT_FIELD, ...REPEAT_FIELDS } : properties,
	};
}

function main() {
	const version = new Crego().description.version;
	// n8n pads the version the same way: 1 → 1.0.0.
	const padded = String(version).split('.').concat(['0', '0']).slice(0, 3).join('.');
	const folder = path.join(dist, '__schema__', `v${padded}`);
	fs.rmSync(path.join(dist, '__schema__'), { recursive: true, force: true });
	let written = 0;
	for (const [resource, operations] of Object.entries(OPERATIONS)) {
		for (const [name, operation] of Object.entries(operations)) {
			if (operation.output === 'any') continue;
			const file = path.join(folder, resource, `${name}.json`);
			fs.mkdirSync(path.dirname(file), { recursive: true });
			fs.writeFileSync(file, `${JSON.stringify(outputSchema(operation), null, '\t')}\n`);
			written++;
		}
	}
	console.log(`schema previews: ${written} in ${path.relative(process.cwd(), folder)}`);
}

main();
