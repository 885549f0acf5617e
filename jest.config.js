// Unit specs sit beside the code; e2e specs boot the real app over HTTP.
const swc = [
  '@swc/jest',
  {
    swcrc: false,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [
    // content-disposition 3 (under @fastify/static, for Swagger UI) is ESM-only; the path names
    // its parent's node_modules first, so that one must not match either.
    '/node_modules/(?!(jose|@noble/hashes|@scure/base|openid-client|oauth4webapi|content-disposition|@fastify/static/node_modules/content-disposition)/)',
  ],
};
module.exports = {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{apps/*/test,test}/**/*.e2e-spec.ts'],
    },
  ],
};
