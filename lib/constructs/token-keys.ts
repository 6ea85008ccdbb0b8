import { RemovalPolicy } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.js';

/** Id of the key generated at deploy time. */
export const INITIAL_TOKEN_KEY_ID = 'k1';

export interface TokenKeysProps {
  /** @default RemovalPolicy.RETAIN — losing the keys breaks every unsubscribe link already sent. */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The Secrets Manager secret with the HMAC keys for member tokens (unsubscribe and preference links).
 * Its JSON is `{"current":"k1","k1":"<64 random chars>"}`: `current` names the signing key, every other
 * property is a key id that tokens may still be verified with. Rotate by adding a new id (e.g. `k2`)
 * and pointing `current` at it; drop an old id only once links signed with it may expire.
 * The Lambda side parses this with `TokenKeysJson` in lambdas/core/tokens.ts.
 */
export class TokenKeys extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: TokenKeysProps = {}) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'Club Planner HMAC keys for member tokens: {"current":"<id>","<id>":"<key>",...}',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ current: INITIAL_TOKEN_KEY_ID }),
        generateStringKey: INITIAL_TOKEN_KEY_ID,
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.secret,
      'SMG4',
      'HMAC keys of member links, not a service credential: a rotation adds a key id and moves `current` to it ' +
        'while old ids keep verifying until their links expire (docs/security.md). A Secrets Manager rotation ' +
        'function replaces the whole value, which would break every link in mail already sent.',
    );
  }
}

/**
 * The key of the keyed hashes that erased members leave in the suppression list. Its own secret, never
 * rotated with the token keys: a rotated key would let an erased address be re-imported and mailed.
 */
export class SuppressionKey extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: TokenKeysProps = {}) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'Club Planner HMAC key for the hashes of erased addresses (never rotate)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.secret,
      'SMG4',
      'Must never rotate: it keys the hashes that keep erased addresses suppressed, and a new key would let an ' +
        'erased address be re-imported and mailed (docs/decisions/0008-preference-centre.md).',
    );
  }
}
