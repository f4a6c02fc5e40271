// Flat config: typescript-eslint's recommended rules on every TypeScript file.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'bench/results/**',
      'test-artifacts/**',
      'vscode-ext/out/**',
      'vscode-ext/media/*.js',
      '.vscode-test/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
        globalThis: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: [
      'core/src/cli/**',
      'core/scripts/**',
      'bench/**',
      'scripts/**',
      'test/**',
      'vscode-ext/e2e/**',
      'vscode-ext/scripts/**',
    ],
    rules: { 'no-console': 'off' },
  },
  {
    // Browser components: no Node modules (they run in the dashboard, JupyterLab and VS Code
    // webviews), and no markup from strings (names come from users).
    files: ['core/src/ui/**'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        location: 'readonly',
        history: 'readonly',
        localStorage: 'readonly',
        matchMedia: 'readonly',
        getComputedStyle: 'readonly',
        requestAnimationFrame: 'readonly',
        cancelAnimationFrame: 'readonly',
        WebSocket: 'readonly',
      },
    },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:', message: 'core/src/ui runs in browsers: no Node modules.' },
            {
              regex:
                '^(fs|path|os|child_process|http|https|net|crypto|events|stream|url|util|worker_threads)(/.*)?$',
              message: 'core/src/ui runs in browsers: no Node modules.',
            },
            {
              regex: '^(ws|msgpackr|yaml)$',
              message: 'core/src/ui runs in browsers: no Node-only packages.',
            },
            {
              regex:
                '\\.\\./(?!manager/api-types\\.js$)(cluster|scheduler|worker|client|protocol|jobqueue|manager|cli|util)/',
              message: 'core/src/ui may import only ../manager/api-types.js from the rest of core.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Build DOM with el(); names are text, never markup.' },
        { property: 'outerHTML', message: 'Build DOM with el(); names are text, never markup.' },
        { property: 'insertAdjacentHTML', message: 'Build DOM with el(); names are text, never markup.' },
      ],
    },
  },
  {
    // Components reach the manager and the host only through their ManagerPort, so they run in
    // the page, a JupyterLab panel and a VS Code webview alike; the page's own host is the exception.
    files: ['core/src/ui/**'],
    ignores: ['core/src/ui/dashboard/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['fetch', 'WebSocket', 'localStorage', 'sessionStorage'].map((name) => ({
          name,
          message: 'Use the ManagerPort (requests, events) or its host hooks (uiState, saveFile).',
        })),
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='document'][property.name='body']",
          message: 'A view mounts where its host puts it; never into document.body.',
        },
      ],
    },
  },
  {
    // The VS Code extension's tests run under mocha's tdd interface in the extension host (CommonJS).
    files: ['vscode-ext/test/**'],
    languageOptions: {
      globals: {
        suite: 'readonly',
        test: 'readonly',
        suiteSetup: 'readonly',
        suiteTeardown: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
  {
    files: ['vscode-ext/webview-src/**'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        MutationObserver: 'readonly',
        Event: 'readonly',
        MessageEvent: 'readonly',
        Blob: 'readonly',
      },
    },
  },
);
