/** Module types for the bundler's asset imports (vite.web.config.ts): a worker bundled on its own, and CSS as text. */
declare module '*?worker&url' {
  const url: string;
  export default url;
}
declare module '*.css?inline' {
  const css: string;
  export default css;
}
declare module '*.wasm?url' {
  const url: string;
  export default url;
}
