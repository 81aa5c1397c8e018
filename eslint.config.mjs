// Two kinds of code, two rule sets.
// - What is published (nodes/, credentials/, package.json) gets the rules n8n applies when
//   it reviews a community package: @n8n/eslint-plugin-community-nodes (recommended) and
//   eslint-plugin-n8n-nodes-base (community, credentials, nodes), wired as n8n's own
//   `n8n-node lint` and package scanner wire them, with the same three rules switched off.
// - What is never published (sandbox/, test/, scan/, scripts) is ordinary TypeScript and
//   Node: it needs http, process and console, which n8n's rules forbid in a node.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const communityRecommended = n8nCommunityNodesPlugin.configs.recommended;

export default tseslint.config(
	globalIgnores(['dist/**', 'node_modules/**', 'scan/node_modules/**', 'coverage/**', '**/*.d.ts']),

	// --- published code: n8n's gates ---
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended, communityRecommended],
		rules: { 'prefer-spread': 'off', 'no-console': 'error' },
	},
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{
		files: ['package.json'],
		extends: [communityRecommended],
		rules: { ...n8nNodesBase.configs.community.rules },
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},

	// --- code that is never published: plain TypeScript and Node ---
	{
		files: ['test/**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		languageOptions: { globals: { ...globals.node, ...globals.jest } },
		rules: {
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-require-imports': 'off',
		},
	},
	{
		files: ['sandbox/**/*.js', 'scan/**/*.mjs', 'scripts/**/*.{js,mjs}', '*.js', '*.mjs'],
		extends: [js.configs.recommended],
		languageOptions: { globals: globals.node, sourceType: 'commonjs' },
		rules: {
			'no-unused-vars': [
				'error',
				{ varsIgnorePattern: '^_', ignoreRestSiblings: true, argsIgnorePattern: '^_' },
			],
		},
	},
	{ files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
);
