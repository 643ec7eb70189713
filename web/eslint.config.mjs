// ESLint (flat config) for the web code: the playground's and the reports' modules (src/), the browser tests and the
// benchmark. The CMake build runs it before bundling; a warning fails the build.
import js from '@eslint/js';

const browser = Object.fromEntries(['window', 'document', 'location', 'history', 'navigator', 'performance',
  'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'requestAnimationFrame', 'Blob', 'URL',
  'Worker', 'self', 'postMessage', 'importScripts', 'Image', 'fetch', 'atob', 'btoa', 'TextEncoder', 'TextDecoder',
  'HTMLElement', 'getComputedStyle', 'ResizeObserver', 'IntersectionObserver', 'Plotly', 'createKobaiEngine',
  'alert', 'Node', 'PointerEvent', 'PerformanceObserver', 'ImageData', 'CustomEvent', 'Event', 'MouseEvent', 'structuredClone', 'queueMicrotask']
  .map((name) => [name, 'readonly']));
const node = Object.fromEntries(['process', 'console', 'setTimeout', 'clearTimeout', 'URL', 'Buffer', 'performance',
  'structuredClone'].map((name) => [name, 'readonly']));

export default [
  js.configs.recommended,
  { files: ['src/**/*.mjs'], languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: browser } },
  { files: ['tests/**/*.mjs', 'bench/**/*.mjs', '*.mjs'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...node, ...browser } } },
  { rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }], 'prefer-const': 'error', eqeqeq: ['error', 'smart'] } },
];
