// A real OpenID provider (the certified `oidc-provider` package) on loopback, for the tests of
// signing in with a council account. Started by tests/oidc.py with:
//   PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS (space-separated), STATE_DIR
// STATE_DIR/accounts.json holds each account's claims, read at every sign-in, so a test can
// take someone out of a group between two sign-ins. STATE_DIR/tamper holds how to spoil the
// next ID tokens ("wrong-audience", "wrong-issuer", "expired", "other-key", "other-nonce",
// "no-kid", "unknown-kid"), or nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { decodeJwt, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import Provider from 'oidc-provider';

const { PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS, STATE_DIR } = process.env;
const issuer = `http://127.0.0.1:${PORT}`;

function readState(name, fallback) {
  try {
    return readFileSync(join(STATE_DIR, name), 'utf8');
  } catch {
    return fallback;
  }
}

async function signingKey(kid) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

const providerKey = await signingKey('provider-key');
// Another key under the same name: a token it signs must be refused by its signature.
const { privateKey: otherKey } = await generateKeyPair('RS256');

const provider = new Provider(issuer, {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: REDIRECT_URIS.split(' '),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  jwks: { keys: [providerKey] },
  cookies: { keys: ['tests-only-cookie-key'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'groups'],
  },
  // The claims go in the ID token, as Entra ID puts a person's groups there.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 60, Session: 3600, Grant: 3600, Interaction: 600 },
  async findAccount(ctx, id) {
    const accounts = JSON.parse(readState('accounts.json', '{}'));
    if (!(id in accounts)) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) };
  },
  // A first-party app the council has consented to for everyone, as an admin does in Entra ID.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

// Spoil the ID token on its way out of the token endpoint, when a test asks.
provider.use(async (ctx, next) => {
  await next();
  const tamper = readState('tamper', '').trim();
  if (!tamper || ctx.path !== '/token' || ctx.status !== 200 || !ctx.body?.id_token) return;
  const claims = decodeJwt(ctx.body.id_token);
  const now = Math.floor(Date.now() / 1000);
  let key = await importJWK(providerKey, 'RS256');
  if (tamper === 'wrong-audience') claims.aud = 'another-application';
  if (tamper === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  if (tamper === 'other-key') key = otherKey;
  if (tamper === 'wrong-issuer') claims.iss = 'https://login.example.net/another-tenant/v2.0';
  if (tamper === 'other-nonce') claims.nonce = 'a-nonce-from-another-sign-in';
  const header = { alg: 'RS256', kid: providerKey.kid };
  if (tamper === 'no-kid') delete header.kid;
  if (tamper === 'unknown-kid') header.kid = 'a-key-nobody-published';
  ctx.body = { ...ctx.body, id_token: await new SignJWT(claims).setProtectedHeader(header).sign(key) };
});

provider.listen(Number(PORT), '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
