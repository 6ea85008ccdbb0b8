import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  actionsOf,
  EVERYTHING,
  environmentOf,
  resourceNamed,
  resourcesOf,
  statementsOfRole,
  templateOf,
} from './synth.js';

const Client = z.object({
  ClientName: z.string(),
  GenerateSecret: z.boolean(),
  AllowedOAuthFlows: z.array(z.string()),
  AllowedOAuthScopes: z.array(z.unknown()),
  ExplicitAuthFlows: z.array(z.string()),
  CallbackURLs: z.array(z.unknown()).optional(),
});

function clients(template: Template): Map<string, [string, z.infer<typeof Client>]> {
  return new Map(
    Object.entries(resourcesOf(template, 'AWS::Cognito::UserPoolClient')).map(([id, resource]) => {
      const client = Client.parse(resource.Properties);
      return [client.ClientName, [id, client]];
    }),
  );
}

describe('marketer identity (Cognito)', () => {
  let template: Template;
  beforeAll(() => {
    template = templateOf({
      machineClients: EVERYTHING.machineClients,
      cognitoDomainPrefix: EVERYTHING.cognitoDomainPrefix,
    });
  });

  it('keeps marketers in a user pool without self sign-up, with TOTP MFA required and threat protection enforced', () => {
    const [, pool] = resourceNamed(template, 'AWS::Cognito::UserPool', 'MarketerIdentity');
    expect(pool).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
    });
    template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
  });

  it('serves the hosted sign-in on the domain prefix from the context', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'club-planner-prod-example' });
  });

  it('signs the console in with the authorization code flow only, as a public client, returning to the public URL', () => {
    const [, console] = clients(template).get('console') ?? [];
    expect(console).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    });
    const [apiId] = resourceNamed(template, 'AWS::ApiGatewayV2::Api', 'PublicApi');
    expect(console?.CallbackURLs).toEqual([
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] }, '/console/auth/callback']] },
    ]);
  });

  it('gives each machine client client credentials and only its own club-planner/club:<club>:<role> scopes', () => {
    const [, resourceServer] = resourceNamed(template, 'AWS::Cognito::UserPoolResourceServer', 'MarketerIdentity');
    expect(resourceServer).toMatchObject({
      Identifier: 'club-planner',
      Scopes: [
        { ScopeName: 'club:stadsbutiken:editor', ScopeDescription: 'editor of stadsbutiken' },
        { ScopeName: 'club:boghandlen:viewer', ScopeDescription: 'viewer of boghandlen' },
      ],
    });
    const byName = clients(template);
    const scopes = (name: string) => JSON.stringify(byName.get(name)?.[1].AllowedOAuthScopes);
    expect(byName.get('machine-crm-sync')?.[1]).toMatchObject({
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
    });
    expect(scopes('machine-crm-sync')).toContain('/club:stadsbutiken:editor');
    expect(scopes('machine-crm-sync')).not.toContain('boghandlen');
    expect(scopes('machine-bi-export')).toContain('/club:boghandlen:viewer');
    expect(scopes('machine-bi-export')).not.toContain('stadsbutiken');
  });

  it('accepts tokens of the console and of every machine client at the gateway', () => {
    const [, authorizer] = resourceNamed(template, 'AWS::ApiGatewayV2::Authorizer', 'PublicApi');
    const audience = JSON.stringify(authorizer.JwtConfiguration);
    for (const [id] of clients(template).values()) expect(audience).toContain(`{"Ref":"${id}"}`);
  });

  it('tells the api function the issuer, the JWKS URL, the hosted UI and the client ids, so the app verifies JWTs again', () => {
    const [poolId] = resourceNamed(template, 'AWS::Cognito::UserPool', 'MarketerIdentity');
    const byName = clients(template);
    const variables = environmentOf(template, 'FunctionsApi');
    const issuer = {
      'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: poolId }]],
    };
    expect(variables.AUTH_ISSUER).toEqual(issuer);
    expect(variables.AUTH_JWKS_URL).toEqual({
      'Fn::Join': [
        '',
        ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: poolId }, '/.well-known/jwks.json'],
      ],
    });
    expect(variables.AUTH_CONSOLE_CLIENT_ID).toEqual({ Ref: byName.get('console')?.[0] });
    expect(variables.AUTH_MACHINE_CLIENT_IDS).toEqual({
      'Fn::Join': [
        '',
        [{ Ref: byName.get('machine-crm-sync')?.[0] }, ',', { Ref: byName.get('machine-bi-export')?.[0] }],
      ],
    });
    expect(JSON.stringify(variables.AUTH_HOSTED_UI_URL)).toContain('auth');
    for (const fn of ['SendMail', 'PlanCampaign', 'PlanShard', 'SesEvents']) {
      expect(
        Object.keys(environmentOf(template, `Functions${fn}`)).filter((name) => name.startsWith('AUTH_')),
        fn,
      ).toEqual([]);
    }
  });

  it('creates no machine client without machineClients, and defaults the domain prefix to stage and account', () => {
    const plain = templateOf();
    expect([...clients(plain).keys()]).toEqual(['console']);
    plain.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: { 'Fn::Join': ['', ['club-planner-dev-', { Ref: 'AWS::AccountId' }]] },
    });
    expect(environmentOf(plain, 'FunctionsApi').AUTH_MACHINE_CLIENT_IDS).toBe('');
  });
});

describe('marketer identity for the app', () => {
  let template: Template;
  beforeAll(() => {
    template = templateOf();
  });

  it('has an operators group, whose marketers may create clubs', () => {
    const [poolId] = resourceNamed(template, 'AWS::Cognito::UserPool', 'MarketerIdentity');
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
      GroupName: 'operators',
      UserPoolId: { Ref: poolId },
    });
  });

  it('lets only the api function invite marketers and read their addresses, in this pool only', () => {
    const [poolId] = resourceNamed(template, 'AWS::Cognito::UserPool', 'MarketerIdentity');
    expect(environmentOf(template, 'FunctionsApi').AUTH_USER_POOL_ID).toEqual({ Ref: poolId });
    const cognito = (fn: string) =>
      statementsOfRole(template, `Functions${fn}Role`).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('cognito-idp:')),
      );
    const granted = cognito('Api');
    expect(granted.flatMap(actionsOf).sort()).toEqual([
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminGetUser',
      'cognito-idp:ListUsers',
    ]);
    for (const statement of granted) expect(statement.Resource).toEqual({ 'Fn::GetAtt': [poolId, 'Arn'] });
    for (const fn of ['SendMail', 'PlanCampaign', 'PlanShard', 'SesEvents']) expect(cognito(fn), fn).toEqual([]);
  });
});
