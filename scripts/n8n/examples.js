// @ts-check
'use strict';

/** The example workflows, their sample inputs, and the credentials they expect. */

const path = require('node:path');

const examplesDir = path.resolve(__dirname, '..', '..', 'examples');

const examples = [
	{
		id: 'cregoRefundsCsv',
		name: 'Crego: refunds from a spreadsheet',
		workflow: path.join(examplesDir, 'refunds-from-csv.json'),
		inputs: [path.join(examplesDir, 'refunds.csv')],
	},
	{
		id: 'cregoPayoutsXlsx',
		name: 'Crego: mark payouts processed from a bank file',
		workflow: path.join(examplesDir, 'payouts-from-bank-file.json'),
		inputs: [path.join(examplesDir, 'payouts.xlsx')],
	},
	{
		id: 'cregoRefundsApproval',
		name: 'Crego: refunds with approval',
		workflow: path.join(examplesDir, 'refunds-with-approval.json'),
		inputs: [path.join(examplesDir, 'refunds.csv')],
	},
	{
		id: 'cregoRecordLookup',
		name: 'Crego: record lookup to a spreadsheet',
		workflow: path.join(examplesDir, 'record-lookup.json'),
		inputs: [path.join(examplesDir, 'records.csv')],
	},
];

/** The credentials the example workflows name: "Crego sandbox" and "Local SMTP". */
function sandboxCredentials({ sandboxUrl, token, smtpPort }) {
	return [
		{
			id: 'crego-sandbox',
			name: 'Crego sandbox',
			type: 'cregoApi',
			data: { baseUrl: sandboxUrl, accessToken: token },
		},
		{
			id: 'crego-smtp',
			name: 'Local SMTP',
			type: 'smtp',
			data: {
				host: '127.0.0.1',
				port: smtpPort,
				secure: false,
				disableStartTls: true,
				user: '',
				password: '',
			},
		},
	];
}

/** The owner account `npm start` creates: a local playground's login, printed at start. */
const OWNER = {
	email: 'owner@example.com',
	firstName: 'Crego',
	lastName: 'Operator',
	password: 'CregoSandbox1',
};

module.exports = { examples, sandboxCredentials, OWNER };
