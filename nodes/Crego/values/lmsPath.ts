import { InvalidValue } from './invalidValue';

const PREFIX = '/v1/lms/';
const HINT =
	"Use a path of Crego's LMS API such as /v1/lms/loans/ or loans/ (query parameters go in Query Parameters).";

/**
 * A path under /v1/lms/, written whole (`/v1/lms/settlements/`) or from there on
 * (`settlements/`, as the docs name endpoints), that cannot leave it: the token goes with every request, so the
 * path must stay on the credential's host and under the LMS API. Refused: schemes and
 * `//host`, `..` segments, encoded dots, slashes or backslashes, and a query or fragment.
 * The URL parser must also agree that it resolves to itself under /v1/lms/.
 */
export function parseLmsPath(value: unknown): string {
	if (typeof value !== 'string' || value.trim() === '') throw new InvalidValue('is empty', HINT);
	const typed = value.trim();
	if (/^[a-z][a-z0-9+.-]*:/i.test(typed)) throw new InvalidValue('is a full URL, not a path', HINT);
	// No leading slash: under /v1/lms/ (v1/lms/… already names it).
	const path = typed.startsWith('/')
		? typed
		: typed.startsWith(PREFIX.slice(1))
			? `/${typed}`
			: `${PREFIX}${typed}`;
	if (path.startsWith('//')) throw new InvalidValue('points to another host', HINT);
	if (!path.startsWith(PREFIX)) throw new InvalidValue('is not under /v1/lms/', HINT);
	if (/[?#\s\\]/.test(path))
		throw new InvalidValue('contains a query, fragment, space or backslash', HINT);
	if (/%(2e|2f|5c)/i.test(path)) throw new InvalidValue('contains an encoded dot or slash', HINT);
	if (path.split('/').some((segment) => segment === '..' || segment === '.'))
		throw new InvalidValue('contains . or .. segments', HINT);
	if (path.includes('//')) throw new InvalidValue('contains an empty segment (//)', HINT);
	const resolved = new URL(path, 'https://crego.invalid');
	if (resolved.origin !== 'https://crego.invalid' || resolved.pathname !== path) {
		throw new InvalidValue('does not resolve to itself', HINT);
	}
	return path;
}
