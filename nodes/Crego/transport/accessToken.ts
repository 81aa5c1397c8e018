/**
 * What the access token says about itself. Crego's tokens are JWTs valid for 24 hours;
 * the expiry is read (not verified: only Crego can do that) to tell a user that a 401
 * means "expired" rather than "wrong".
 */

export function tokenExpiry(token: unknown): Date | undefined {
	if (typeof token !== 'string') return undefined;
	const parts = token.split('.');
	if (parts.length !== 3) return undefined;
	try {
		const payload = JSON.parse(
			Buffer.from(parts[1].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'),
		) as {
			exp?: unknown;
		};
		return typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : undefined;
	} catch {
		return undefined;
	}
}

/** e.g. "expired at 2026-11-20 10:15 IST (14 hours ago)", or undefined when it has not. */
export function describeExpiry(token: unknown, now = Date.now()): string | undefined {
	const expiry = tokenExpiry(token);
	if (!expiry || expiry.getTime() > now) return undefined;
	const ist = new Date(expiry.getTime() + 330 * 60_000)
		.toISOString()
		.slice(0, 16)
		.replace('T', ' ');
	const hours = Math.round((now - expiry.getTime()) / 3_600_000);
	return `expired at ${ist} IST (${hours < 1 ? 'less than an hour' : `${hours} hour${hours === 1 ? '' : 's'}`} ago)`;
}
