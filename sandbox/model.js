// @ts-check
'use strict';

/**
 * The description of Crego's objects the node is built from (nodes/Crego/model/cregoObjects.ts),
 * read from the built package: the sandbox answers nothing the description does not say.
 */
let model;
try {
	model = require('../dist/nodes/Crego/model/cregoObjects');
} catch {
	throw new Error(
		"The sandbox reads Crego's objects from the built package: run `npm run build` first.",
	);
}

/** @type {(name: string, values: Record<string, unknown>) => any} */
const shapeObject = model.shapeObject;

module.exports = { shapeObject };
