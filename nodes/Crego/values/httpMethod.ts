import type { IHttpRequestMethods } from 'n8n-workflow';

import { InvalidValue } from './invalidValue';

/** The methods Crego's LMS docs list; checked after expressions resolve. */
export const HTTP_METHODS = ['GET', 'PATCH', 'POST', 'PUT'] as const;

export function parseHttpMethod(value: unknown): IHttpRequestMethods {
	const method = typeof value === 'string' ? value.trim().toUpperCase() : '';
	const hint = `Use one of: ${HTTP_METHODS.join(', ')}.`;
	if (method === '') throw new InvalidValue('is empty', hint);
	if (!(HTTP_METHODS as readonly string[]).includes(method))
		throw new InvalidValue('is not a method this node sends', hint);
	return method as IHttpRequestMethods;
}
