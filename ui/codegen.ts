// The console's typed GraphQL documents: graphql-codegen's client preset reads the gateway's
// schema.graphql and every graphql(`…`) call under ui/src, and writes ui/src/gql (committed, so the
// build needs no codegen run). Run `npm run ui:codegen` after changing a document or the schema.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: './schema.graphql',
  documents: ['ui/src/**/*.{ts,tsx}', '!ui/src/gql/**'],
  generates: {
    './ui/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: {
          DateTime: 'string',
          JSON: 'unknown',
          JSONObject: 'Record<string, unknown>',
          UUID: 'string',
          MAC: 'string',
          IP: 'string',
        },
      },
    },
  },
  silent: true,
};

export default config;
