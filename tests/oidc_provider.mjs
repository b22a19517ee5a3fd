// A real OpenID Connect provider for the sign-on tests: node-oidc-provider (OpenID Certified),
// started by tests/oidc_support.py on a free port of 127.0.0.1.
//
// Reads its clients and users from the JSON file named by the first argument:
//   {"clients": [{client_id, client_secret, redirect_uris, post_logout_redirect_uris}],
//    "users": {"<account id>": {<claims>}}}
// Prints one line {"issuer": "http://127.0.0.1:<port>"} when it listens. The login is the
// development interaction of node-oidc-provider (any account id, the password is ignored).
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: config.clients.map((client) => ({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...client,
    })),
    async findAccount(ctx, id) {
      const claims = config.users[id];
      if (!claims) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...claims }; } };
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      loket: ['roles', 'teams'],
    },
    scopes: ['openid', 'email', 'profile', 'loket'],
    pkce: { required: () => true },
    cookies: { keys: ['test-only-cookie-key'] },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    ttl: { IdToken: 600, AccessToken: 600, AuthorizationCode: 60, Session: 600, Interaction: 600, Grant: 600 },
  });
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
