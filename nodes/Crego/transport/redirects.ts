/**
 * What the node does with a 3xx answer, decided here and nowhere else:
 * - a read follows it only to the Base URL's own origin (scheme, host and port), at
 *   most MAX_READ_REDIRECTS times, with the token; a Location on any other origin is
 *   not requested at all, so the token never travels there;
 * - a write never follows it: it may already have been done (303 after a POST) or be
 *   asked to go elsewhere with the body and the token (307/308). Its outcome is unknown.
 */

const MAX_READ_REDIRECTS = 5;

export type RedirectStep = { follow: true; url: string } | { follow: false; why: string };

export function isRedirect(status: number): boolean {
	return status >= 300 && status < 400;
}

export function nextStep({
	status,
	location,
	from,
	baseUrl,
	hops,
}: {
	status: number;
	location?: string;
	from: string;
	baseUrl: string;
	hops: number;
}): RedirectStep {
	if (!location)
		return {
			follow: false,
			why: `Crego answered HTTP ${status} (a redirect) without saying where to`,
		};
	let target: URL;
	try {
		target = new URL(location, from);
	} catch {
		return { follow: false, why: `Crego answered HTTP ${status} with an unreadable Location` };
	}
	const base = new URL(baseUrl);
	if (target.origin !== base.origin) {
		return {
			follow: false,
			why: `Crego redirected the request (HTTP ${status}) to another host, ${target.host}: not followed, so the access token was not sent there`,
		};
	}
	if (hops >= MAX_READ_REDIRECTS)
		return {
			follow: false,
			why: `Crego redirected the request more than ${MAX_READ_REDIRECTS} times`,
		};
	return { follow: true, url: target.href };
}

/** A Location as it may be shown: origin and path only (no user info or query), shortened. */
export function showLocation(location: string | undefined, from: string): string {
	if (!location) return 'nowhere';
	try {
		const url = new URL(location, from);
		const shown = `${url.origin}${url.pathname}`;
		return shown.length > 120 ? `${shown.slice(0, 117)}...` : shown;
	} catch {
		return 'an unreadable address';
	}
}
