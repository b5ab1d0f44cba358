// The OpenID Connect provider of the ProConnect tests (tests/oidc/conftest.py starts it):
// the certified `oidc-provider` package, on a free port of 127.0.0.1, set up as ProConnect
// behaves towards a service: authorization code flow with PKCE required, `acr`/`amr` in the
// ID token, userinfo as a signed JWT, logout at `end_session_endpoint` without a question.
//
//   node provider.js CONFIG.json   → prints « READY http://127.0.0.1:PORT » once listening
//
// CONFIG.json: {"jwks": {"keys": [private JWK]}, "clients": [client metadata],
//               "accounts": {"sub": {"email": ..., "given_name": ..., "usual_name": ...}}}
//
// Its login page takes an account's `sub` (no password: the tests are the users). A test can
// make the next token response misbehave: POST /_test/tamper {"mode": ...} with mode
// « signature » (a claim changed after signing), « expired », « nonce », « issuer » or
// « audience » (re-signed with the provider's own key, so that only that claim is wrong).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import { CompactSign, importJWK } from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = config.accounts;
const signingKey = config.jwks.keys[0];
let tamperMode = null;

const html = (title, body) => `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: config.clients,
    jwks: config.jwks,
    acrValues: ['eidas1'],
    scopes: ['openid', 'email', 'given_name', 'usual_name', 'uid', 'siret'],
    // The level of authentication in every ID token, as ProConnect does.
    claims: {
      openid: ['sub', 'acr', 'amr'],
      email: ['email'],
      given_name: ['given_name'],
      usual_name: ['usual_name'],
      uid: ['uid'],
      siret: ['siret'],
    },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      jwtUserinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // ProConnect signs out at once: the form is submitted without a question.
        async logoutSource(ctx, form) {
          ctx.body = html('Déconnexion', `${form}
            <button type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter</button>
            <script>document.querySelector('button[name=logout]').click();</script>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = html('Déconnecté', '<p>Vous êtes déconnecté.</p>');
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    // Every client is trusted with the scopes it asks for: no consent page.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
      await grant.save();
      return grant;
    },
    async findAccount(ctx, sub) {
      if (!accounts[sub]) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...accounts[sub] }) };
    },
    cookies: { keys: ['tests-only-cookie-key'] },
  });

  // The service's address is the test server's, on a port known only once it runs: any
  // port of 127.0.0.1 or localhost is accepted for the registered paths.
  const withoutPort = (uri) => {
    const url = URL.parse(uri);
    if (!url || !['127.0.0.1', 'localhost'].includes(url.hostname)) return uri;
    url.port = '';
    return url.href;
  };
  const allowed = (value, uris) => uris.includes(value) || uris.map(withoutPort).includes(withoutPort(value));
  provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value) {
    return allowed(value, this.redirectUris);
  };
  provider.Client.prototype.postLogoutRedirectUriAllowed = function postLogoutAllowed(value) {
    return allowed(value, this.postLogoutRedirectUris || []);
  };

  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/token' && ctx.status === 200 && tamperMode && ctx.body?.id_token) {
      ctx.body = { ...ctx.body, id_token: await tamper(ctx.body.id_token, tamperMode) };
      tamperMode = null;
    }
  });

  async function tamper(token, mode) {
    const [header, payload] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url'));
    const now = Math.floor(Date.now() / 1000);
    if (mode === 'signature') {
      // Another person's subject, the signature left as it was.
      claims.sub = 'someone-else';
      return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${token.split('.')[2]}`;
    }
    if (mode === 'expired') Object.assign(claims, { iat: now - 3600, exp: now - 1800 });
    if (mode === 'nonce') claims.nonce = 'not-the-nonce-of-this-login';
    if (mode === 'issuer') claims.iss = 'http://127.0.0.1:1/not-the-issuer';
    if (mode === 'audience') claims.aud = 'another-service';
    const key = await importJWK(signingKey, 'RS256');
    return new CompactSign(Buffer.from(JSON.stringify(claims)))
      .setProtectedHeader(JSON.parse(Buffer.from(header, 'base64url')))
      .sign(key);
  }

  const readBody = (req) => new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(data));
  });

  // The reason of a refusal, in the log (tests/oidc's provider.log of the test session).
  provider.on('server_error', (ctx, error) => console.error(error));
  provider.on('end_session.error', (ctx, error) => console.error(error, error.cause));
  provider.on('grant.error', (ctx, error) => console.error(error, error.cause));

  const oidc = provider.callback();
  server.on('request', async (req, res) => {
    try {
      const url = new URL(req.url, issuer);
      if (url.pathname === '/_test/tamper' && req.method === 'POST') {
        tamperMode = JSON.parse(await readBody(req)).mode;
        res.writeHead(204).end();
        return;
      }
      const interaction = url.pathname.match(/^\/interaction\/([^/]+)$/);
      if (interaction && req.method === 'GET') {
        const details = await provider.interactionDetails(req, res);
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(html('Fournisseur d\'identité de test', `
          <form method="post" action="/interaction/${escape(details.uid)}">
            <label for="login">Identifiant</label>
            <input id="login" name="login" autofocus>
            <button type="submit">Se connecter</button>
          </form>`));
        return;
      }
      if (interaction && req.method === 'POST') {
        const login = new URLSearchParams(await readBody(req)).get('login');
        if (!accounts[login]) {
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          res.end(html('Identifiant inconnu', '<p>Aucun compte de test de cet identifiant.</p>'));
          return;
        }
        await provider.interactionFinished(req, res, {
          login: { accountId: login, acr: 'eidas1', amr: ['pwd', 'mfa'] },
        }, { mergeWithLastSubmission: false });
        return;
      }
      oidc(req, res);
    } catch (error) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(error));
    }
  });
  console.log(`READY ${issuer}`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
