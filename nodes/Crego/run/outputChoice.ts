import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CREGO_OBJECTS, type CregoObjectName, type ObjectKind } from '../model/cregoObjects';
import { parseBoolean } from '../values/boolean';
import { parseChoice } from '../values/choice';
import { InvalidValue } from '../values/invalidValue';
import { fromVersion2, inVersion1, nodeVersionOf } from '../vocabulary/nodeVersion';
import { readField } from '../vocabulary/readField';
import type { FieldChoice } from './simplify';

/**
 * How much of Crego's answer an item shows. Version 1: the Simplify switch. Version 2
 * (n8n's guideline for nodes an AI agent may use): Output — Simplified (ten fields),
 * Raw (Crego's JSON untouched) or Selected Fields (the ID and the fields chosen). API
 * Request keeps Simplify in both versions: an arbitrary path has no ten fields.
 */
export type OutputChoice = FieldChoice | 'raw';

/** n8n's standard switch (name, wording and default as its lint requires). */
export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simple',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

const outputField: INodeProperties = {
	displayName: 'Output',
	name: 'output',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Raw', value: 'raw', description: "Crego's answer as it came, every field" },
		{
			name: 'Selected Fields',
			value: 'selected',
			description: 'The ID and the fields you choose, dates readable',
		},
		{
			name: 'Simplified',
			value: 'simplified',
			description: 'The ten fields most used, dates readable',
		},
	],
	default: 'simplified',
	description: 'How much of each answer to output',
};
const OUTPUT_MODES = ['raw', 'selected', 'simplified'];

function fieldsField(name: CregoObjectName): INodeProperties {
	return {
		displayName: 'Fields',
		name: 'fields',
		type: 'multiOptions',
		options: Object.entries(CREGO_OBJECTS[name])
			.filter(([field]) => field !== 'id')
			.map(([field, spec]) => ({
				name: field,
				value: field,
				...(spec.about ? { description: spec.about } : {}),
			}))
			.sort((a, b) => a.name.localeCompare(b.name)),
		default: [],
		description: `Fields of the ${name} to output, besides its ID (always output). An expression may give a list or names separated by commas.`,
	};
}

/** The output fields of an operation answering Crego objects of this kind, in both versions. */
export function outputFields(name: CregoObjectName): INodeProperties[] {
	return [
		{ ...simplifyField, displayOptions: inVersion1 },
		{ ...outputField, displayOptions: fromVersion2 },
		{
			...fieldsField(name),
			displayOptions: { show: { ...fromVersion2.show, output: ['selected'] } },
		},
	];
}

/**
 * The output the node is set to, read once for the run. A field name Crego's object does
 * not have refuses the run before anything is sent.
 */
export function readOutputChoice(context: IExecuteFunctions, kind: ObjectKind): OutputChoice {
	const name = kind in CREGO_OBJECTS ? (kind as CregoObjectName) : undefined;
	if (nodeVersionOf(context) >= 2 && name) {
		const mode = readField(context, 0, outputField, (value) => parseChoice(value, OUTPUT_MODES));
		if (mode === 'raw') return 'raw';
		if (mode === 'simplified') return { depth: 'ten' };
		const fields = readField(context, 0, fieldsField(name), (value) =>
			parseFieldNames(value, name),
		);
		return { depth: 'whole', fields };
	}
	const simple = readField(context, 0, simplifyField, parseBoolean);
	return simple ? { depth: 'simple' } : 'raw';
}

/** A list of field names, or names separated by commas (from an expression). */
export function parseFieldNames(value: unknown, name: CregoObjectName): string[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value) && typeof value !== 'string')
		throw new InvalidValue('is not a list of field names', 'Choose fields from the list.');
	const names = (Array.isArray(value) ? value : value.split(','))
		.map((entry) => String(entry).trim())
		.filter((entry) => entry !== '');
	const unknown = names.filter((entry) => !Object.hasOwn(CREGO_OBJECTS[name], entry));
	if (unknown.length)
		throw new InvalidValue(
			`names no field of a Crego ${name}: ${unknown.join(', ')}`,
			`A ${name} has: ${Object.keys(CREGO_OBJECTS[name]).join(', ')}.`,
		);
	return names;
}
