import { defaultGraphqlUrl, readConfig } from './config';

describe('readConfig', () => {
  it('uses the default URL when unset', () => {
    expect(readConfig({}).graphqlUrl).toBe(defaultGraphqlUrl);
  });

  it('uses the default URL when blank', () => {
    expect(readConfig({ VITE_GRAPHQL_URL: '  ' }).graphqlUrl).toBe(defaultGraphqlUrl);
  });

  it('accepts an absolute https URL', () => {
    const config = readConfig({ VITE_GRAPHQL_URL: 'https://api.demo.test/v1/graphql' });

    expect(config.graphqlUrl).toBe('https://api.demo.test/v1/graphql');
  });

  it('rejects a relative URL', () => {
    expect(() => readConfig({ VITE_GRAPHQL_URL: '/v1/graphql' })).toThrow(
      'VITE_GRAPHQL_URL must be an absolute http or https URL such as ' +
        '"http://localhost:8080/v1/graphql", got "/v1/graphql".',
    );
  });

  it('rejects a non-http scheme', () => {
    expect(() => readConfig({ VITE_GRAPHQL_URL: 'ws://localhost:8080/v1/graphql' })).toThrow(
      TypeError,
    );
  });
});
