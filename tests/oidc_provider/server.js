// A real OpenID provider for the COP's tests (tests/oidc_server.py starts and stops it).
//
// oidc-provider (OpenID Certified) with one confidential client, the accounts of a JSON file read
// afresh at each sign-in (a test changes an agent's groups between two sign-ins), and its own
// sign-in form with a password check, in French like the city's. Configuration by environment:
//
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET   the COP's client
//   OIDC_REDIRECT_URI                    the COP's callback (the live server's port is known at test time)
//   OIDC_POST_LOGOUT_REDIRECT_URI        where the provider sends the agent back after signing out
//   OIDC_ACCOUNTS_FILE                   the accounts: [{sub, password, preferred_username, …claims}]
//   PORT                                 0 (the default) for a free port
//
// Once listening, it prints one line of JSON on stdout: {"issuer": "http://127.0.0.1:<port>"}.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} manque dans l'environnement`);
    process.exit(2);
  }
  return value;
};

const clientId = env('OIDC_CLIENT_ID');
const clientSecret = env('OIDC_CLIENT_SECRET');
const redirectUri = env('OIDC_REDIRECT_URI');
const postLogoutRedirectUri = env('OIDC_POST_LOGOUT_REDIRECT_URI');
const accountsFile = env('OIDC_ACCOUNTS_FILE');

const CLAIMS = ['preferred_username', 'given_name', 'family_name', 'name', 'department', 'groups'];

function accounts() {
  return JSON.parse(readFileSync(accountsFile, 'utf8'));
}

function claimsOf(account) {
  const { password, ...claims } = account; // eslint-disable-line no-unused-vars
  return claims;
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>${escape(title)} – Compte de la ville</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body>
</html>`;
}

function loginForm(uid, { username = '', error = '' } = {}) {
  return page('Connexion au compte de la ville', `
    ${error ? `<p role="alert">${escape(error)}</p>` : ''}
    <form method="post" action="/interaction/${uid}/login">
      <p><label for="username">Identifiant</label>
      <input id="username" name="username" autocomplete="username" value="${escape(username)}" required autofocus></p>
      <p><label for="password">Mot de passe</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required></p>
      <p><button type="submit">Valider</button></p>
    </form>
    <p><a href="/interaction/${uid}/abort">Annuler et revenir à l'application</a></p>`);
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'cop-tests', alg: 'RS256', use: 'sig' };

const server = createServer();
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;

  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [postLogoutRedirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      // mozilla-django-oidc sends its secret in the form by default.
      token_endpoint_auth_method: 'client_secret_post',
    }],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    // The COP sends PKCE: this provider refuses a client that would not.
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: CLAIMS,
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // With the id_token_hint the COP sends, Keycloak signs out at once: so does this provider,
        // through its own confirmation form, submitted as soon as it loads.
        async logoutSource(ctx, form) {
          ctx.body = page('Déconnexion', `${form}
            <button type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter</button>
            <script>document.querySelector('button[name=logout]').click();</script>`);
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    // A first-party client: no consent page, the grant is given with the sign-in.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) {
        return ctx.oidc.provider.Grant.find(grantId);
      }
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    async findAccount(ctx, sub) {
      const account = accounts().find((candidate) => candidate.sub === sub);
      if (!account) {
        return undefined;
      }
      return { accountId: sub, async claims() { return claimsOf(account); } };
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Erreur', Object.entries(out).map(([key, value]) => `<p>${escape(key)} : ${escape(value)}</p>`).join(''));
    },
  });

  const oidc = provider.callback();

  async function readForm(req) {
    const chunks = [];
    for await (const chunk of req) {
      chunks.push(chunk);
    }
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  }

  function html(res, status, body) {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(body);
  }

  async function interaction(req, res, uid, action) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) {
      return html(res, 400, page('Erreur', '<p>Cette demande de connexion a expiré.</p>'));
    }
    if (action === 'abort') {
      return provider.interactionFinished(req, res, {
        error: 'access_denied', error_description: "L'agent a annulé la connexion.",
      }, { mergeWithLastSubmission: false });
    }
    if (details.prompt.name !== 'login') {
      // The grant comes with the sign-in (loadExistingGrant): nothing else to ask.
      return provider.interactionFinished(req, res, { consent: {} }, { mergeWithLastSubmission: true });
    }
    if (action === 'login' && req.method === 'POST') {
      const form = await readForm(req);
      const username = form.get('username') || '';
      const account = accounts().find((candidate) => (
        String(candidate.preferred_username).toLowerCase() === username.trim().toLowerCase()
      ));
      if (!account || account.password !== form.get('password')) {
        return html(res, 200, loginForm(uid, { username, error: 'Identifiant ou mot de passe incorrect.' }));
      }
      return provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
    }
    return html(res, 200, loginForm(uid));
  }

  server.on('request', async (req, res) => {
    const match = /^\/interaction\/([^/?]+)(?:\/(login|abort))?(?:\?.*)?$/.exec(req.url);
    if (!match) {
      return oidc(req, res);
    }
    try {
      await interaction(req, res, match[1], match[2]);
    } catch (error) {
      html(res, 400, page('Erreur', `<p>${escape(error.message)}</p>`));
    }
  });

  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
