import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { OPERATOR_GROUP } from '../../lambdas/core/principal.js';
import { RESOURCE_SERVER_ID } from '../../lambdas/core/roles.js';
import type { ClubRole, MachineClient } from '../context.js';

/** The resource server of machine scopes (the shared identity contract; the app parses the same). */
export { RESOURCE_SERVER_ID };

/** A machine client's scope on one club, without the resource server prefix: `club:<clubId>:<role>`. */
export function clubScopeName(clubId: string, role: ClubRole): string {
  return `club:${clubId}:${role}`;
}

/** Cognito accepts at most 100 custom scopes per resource server. */
const MAX_SCOPES = 100;

export interface MarketerIdentityProps {
  /** Hosted-UI domain prefix, unique in the region (may be a token). */
  readonly domainPrefix: string;
  /** Where the console's sign-in may return to (the console's OAuth callback). */
  readonly consoleCallbackUrls: string[];
  /** Where the console's sign-out may return to. */
  readonly consoleLogoutUrls: string[];
  /** Client-credentials clients with per-club scopes. */
  readonly machineClients: readonly MachineClient[];
  /** @default RemovalPolicy.RETAIN: the pool holds the marketers' accounts and MFA devices. */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Who marketers are on AWS: a Cognito user pool (no self sign-up, an administrator invites each
 * marketer; TOTP MFA required; Plus plan with threat protection enforced), its hosted sign-in UI, an
 * app client for the console (authorization code with PKCE, no secret) and one client-credentials
 * client per configured machine, whose only scopes are `club-planner/club:<clubId>:<role>`.
 * Roles per club live in the table; the app checks them on every route.
 */
export class MarketerIdentity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly domain: cognito.UserPoolDomain;
  readonly resourceServer: cognito.UserPoolResourceServer;
  readonly consoleClient: cognito.UserPoolClient;
  readonly machineClients: readonly cognito.UserPoolClient[];
  /** Marketers who may create clubs (their access tokens carry it in `cognito:groups`). */
  readonly operators: cognito.CfnUserPoolGroup;
  /** The JWT issuer (`iss`). */
  readonly issuer: string;
  readonly jwksUrl: string;
  /** Base URL of the hosted UI and the OAuth endpoints (`/oauth2/authorize`, `/oauth2/token`, `/logout`). */
  readonly hostedUiBaseUrl: string;

  constructor(scope: Construct, id: string, props: MarketerIdentityProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Plus: compromised-credential checks and adaptive authentication, for a handful of marketers.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.operators = new cognito.CfnUserPoolGroup(this, 'Operators', {
      userPoolId: this.userPool.userPoolId,
      groupName: OPERATOR_GROUP,
      description: 'May create clubs, becoming their first admin; add with admin-add-user-to-group',
    });
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    this.hostedUiBaseUrl = this.domain.baseUrl();
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.jwksUrl = `${this.issuer}/.well-known/jwks.json`;

    const scopes = new Map<string, cognito.ResourceServerScope>();
    for (const client of props.machineClients) {
      for (const { clubId, role } of client.scopes) {
        const scopeName = clubScopeName(clubId, role);
        scopes.set(scopeName, new cognito.ResourceServerScope({ scopeName, scopeDescription: `${role} of ${clubId}` }));
      }
    }
    if (scopes.size > MAX_SCOPES) {
      throw new Error(
        `machineClients name ${scopes.size} club scopes; Cognito allows ${MAX_SCOPES} per resource server`,
      );
    }
    this.resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: RESOURCE_SERVER_ID,
      userPoolResourceServerName: 'Club Planner',
      scopes: [...scopes.values()],
    });

    this.consoleClient = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: 'console',
      // A public client: the code exchange is bound to the session by PKCE (the console sends code_challenge S256).
      generateSecret: false,
      authFlows: { userSrp: false },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: props.consoleCallbackUrls,
        logoutUrls: props.consoleLogoutUrls,
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    this.machineClients = props.machineClients.map((client) =>
      this.userPool.addClient(`Machine-${client.name}`, {
        userPoolClientName: `machine-${client.name}`,
        generateSecret: true,
        authFlows: { userSrp: false },
        oAuth: {
          flows: { clientCredentials: true },
          scopes: client.scopes.map(({ clubId, role }) => {
            const scope = scopes.get(clubScopeName(clubId, role));
            if (!scope) throw new Error(`scope ${clubScopeName(clubId, role)} was not declared`);
            return cognito.OAuthScope.resourceServer(this.resourceServer, scope);
          }),
        },
        preventUserExistenceErrors: true,
        accessTokenValidity: Duration.hours(1),
      }),
    );
  }

  /** Every app client whose tokens the API accepts (the JWT authorizer's audience). */
  get clients(): cognito.UserPoolClient[] {
    return [this.consoleClient, ...this.machineClients];
  }
}
