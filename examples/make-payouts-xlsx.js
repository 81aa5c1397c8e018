// Writes payouts.xlsx, the sample bank file of the "mark payouts processed" example.
// Every cell is text, as bank files hand out UTRs and value dates. Needs the `xlsx`
// package, which n8n 1.x ships (2.x as @e965/xlsx): NODE_PATH=<n8n 1.123.81 install>/node_modules node make-payouts-xlsx.js
const path = require('node:path');
const XLSX = require('xlsx');

const DEBIT_BANK = 'f808a4b5-d281-4988-8261-8c7ac0a8abbc';
const rows = [
	['payout_id', 'utr', 'value_date', 'debit_bank_id', 'debit_account_no'],
	['bb572e48-1d50-4a53-b5ae-37b23855f84f', '123123123123123', '28/08/2023', DEBIT_BANK, ''],
	['5e8b2d1c-3f4a-4b6c-9d7e-8f0a1b2c3d4e', 'HDFCR52023082912345678', '29-08-2023', DEBIT_BANK, '000405060708'],
	['6f9c3e2d-4a5b-4c7d-8e9f-0a1b2c3d4e5f', '', '30/08/2023', DEBIT_BANK, ''],
];

const sheet = XLSX.utils.aoa_to_sheet(rows);
for (const address of Object.keys(sheet).filter((key) => !key.startsWith('!'))) {
	sheet[address].t = 's';
	sheet[address].v = String(sheet[address].v);
	sheet[address].z = '@';
}
const book = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(book, sheet, 'Bank file');
XLSX.writeFile(book, path.join(__dirname, 'payouts.xlsx'));
console.log('wrote payouts.xlsx');
