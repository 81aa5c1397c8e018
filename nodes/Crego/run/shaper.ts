import type { IDataObject } from 'n8n-workflow';

import type { ObjectKind } from '../model/cregoObjects';
import { isKeptAnswer } from '../transport/answerBody';
import type { RunOptions } from './runOptions';
import { simplify } from './simplify';

/** An answer as the item shows it, and the fields Simplify kept as Crego sent them. */
export interface Shaped {
	json: IDataObject;
	kept: string[];
}

export type Shape = (json: IDataObject) => Shaped;

/** Simplify or Output: readable fields as chosen; Raw: Crego's JSON untouched. Whatever Simplify cannot read stays as Crego sent it. */
export function shaper(
	kind: ObjectKind,
	options: Pick<RunOptions, 'output' | 'businessTimezone'>,
): Shape {
	const { output } = options;
	if (output === 'raw') return (json) => ({ json, kept: [] });
	return (json) => {
		// An unreadable success ({statusCode, responseText | responseNotRead}) is shown as it came.
		if (isKeptAnswer(json)) return { json, kept: [] };
		try {
			return simplify(json, kind, options.businessTimezone, output);
		} catch {
			return { json, kept: ['the whole answer'] };
		}
	};
}
