// Prints the GraphQL schema built by src/schema to schema.graphql (committed; a test fails
// when it is stale). Clients can point their own codegen at that file.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: './src/schema/index.ts',
  generates: {
    './schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: true, sort: true, commentDescriptions: false },
    },
  },
  silent: true,
};

export default config;
