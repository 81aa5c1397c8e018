// The project's own checks for code that is never published (test/, scripts/, sandbox/,
// scan/, the config files). eslint.config.mjs is exactly the n8n-node CLI's default (its
// strict mode and n8n's verification require that), and `n8n-node lint` applies n8n's node
// rules to every .ts file; the never-published .ts files that need http, process or console
// open with an `eslint-disable` line saying so. `npm run lint` runs this config with
// --no-inline-config, so that line hides nothing from these rules.
import js from '@eslint/js';
import { globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	globalIgnores([
		'dist/**',
		'node_modules/**',
		'scan/node_modules/**',
		'coverage/**',
		'**/*.d.ts',
		'nodes/**',
		'credentials/**',
	]),
	{
		files: ['test/**/*.ts', 'scripts/**/*.ts'],
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
