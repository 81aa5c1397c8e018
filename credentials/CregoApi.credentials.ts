import type {
	IAuthenticate,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { checkBaseUrl } from '../nodes/Crego/transport/baseUrl';

export class CregoApi implements ICredentialType {
	name = 'cregoApi';

	displayName = 'Crego API';

	icon: Icon = {
		light: 'file:../nodes/Crego/crego.svg',
		dark: 'file:../nodes/Crego/crego.dark.svg',
	};

	documentationUrl = 'https://github.com/crego-n8n/n8n-nodes-crego#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://preprod.api.crego.io',
			required: true,
			placeholder: 'e.g. https://preprod.api.crego.io',
			description: 'Address of your Crego API, without a path. A trailing slash is harmless.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Bearer token for the Crego API. Crego tokens are valid for 24 hours.',
		},
	];

	// A function, not a generic block with '=Bearer {{$credentials.accessToken}}': n8n 2.x
	// evaluates such an expression in its sandboxed engine on every request, about 0.9 ms of
	// CPU each (BENCHMARKS.md, "Where the time goes"); this sets the same header for free.
	// It also refuses a Base URL the token must not travel to (plain http to another
	// machine, a user name, a query…), so the Test button and any node using this
	// credential explain the rule instead of sending the token first.
	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		const checked = checkBaseUrl(credentials.baseUrl);
		if ('problem' in checked)
			throw new Error(`The Base URL ${checked.problem}. The access token was not sent.`);
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.accessToken)}`,
			},
		};
	};

	// List Settlements is the one documented read that needs no ID. n8n's credential test
	// functions offer only a deprecated request helper, so the test stays declarative: it
	// cannot read the token's expiry, so its 401 message names the likely cause. It never
	// follows a redirect (n8n's helper would, sending the token to wherever it points): a
	// 3xx fails the test. A declarative test's messages are fixed text, so they cannot name
	// the host the redirect pointed to.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/lms/settlements/',
			method: 'GET',
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Crego refused the access token: it is wrong or has expired (Crego tokens are valid for 24 hours). Paste a fresh token.',
				},
			},
			...[300, 301, 302, 303, 307, 308].map((status) => ({
				type: 'responseCode' as const,
				properties: {
					value: status,
					message: `The Base URL answered with a redirect (HTTP ${status}) instead of Crego's answer. The test did not follow it, so the access token was sent nowhere else. Set Base URL to Crego's API address itself (e.g. https://preprod.api.crego.io): a redirect often means a wrong scheme (http for https) or a proxy in between.`,
				},
			})),
		],
	};
}
