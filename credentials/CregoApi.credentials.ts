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
	// cannot read the token's expiry, so its 401 message names the likely cause.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/lms/settlements/',
			method: 'GET',
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
		],
	};
}
