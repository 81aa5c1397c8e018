import type { IDisplayOptions, IExecuteFunctions } from 'n8n-workflow';

/**
 * The node's versions. A saved workflow keeps the version it was made with and sees
 * exactly what it saw then; a new node gets the latest.
 * 1: IDs as text, the Simplify switch (16 fields of a payout or a record).
 * 2: IDs as resource locators (By ID), Output: Simplified (ten fields) / Raw / Selected Fields.
 * Both versions use the same parameter names; a name changes its type only between versions.
 */
export const NODE_VERSIONS = [1, 2];
export const LATEST_VERSION = 2;

/** Shown on a version 1 node only. */
export const inVersion1: IDisplayOptions = { show: { '@version': [1] } };
/** Shown on a node of version 2 or later. */
export const fromVersion2: IDisplayOptions = { show: { '@version': [{ _cnd: { gte: 2 } }] } };

export const nodeVersionOf = (context: Pick<IExecuteFunctions, 'getNode'>): number =>
	context.getNode().typeVersion;
