import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import type { IHttpRouteAuthorizer, ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  CfnStage,
  HttpApi,
  HttpMethod,
  type HttpRoute,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.js';

/** Who a route serves; each group has limits of its own, so a flood on one cannot throttle another. */
export type RouteAudience = 'marketer' | 'member' | 'survey' | 'unsubscribe' | 'console' | 'health';

/**
 * Requests per second (steady, burst) per route. API Gateway keeps one token bucket per route, so a
 * flood of public requests (preference pages, a scanner) never eats the one-click unsubscribes' or the
 * marketer API's budget. One-click POSTs get the most: mailbox providers send them in bursts after a
 * campaign. Only the account-wide regional limit (10,000 rps by default) is shared; the optional WAF
 * adds a rate limit per client address in front.
 */
export const ROUTE_THROTTLES: Readonly<Record<RouteAudience, Required<ThrottleSettings>>> = {
  unsubscribe: { rateLimit: 100, burstLimit: 200 },
  member: { rateLimit: 25, burstLimit: 50 },
  // A survey mail has twelve links that security scanners fetch as it is delivered (docs/decisions/0036-surveys-and-nps.md):
  // their requests can vote nothing, and more room keeps the page answering the people who click in the same minutes.
  survey: { rateLimit: 100, burstLimit: 200 },
  marketer: { rateLimit: 25, burstLimit: 50 },
  console: { rateLimit: 10, burstLimit: 20 },
  health: { rateLimit: 2, burstLimit: 5 },
};

/** The stage default, for any route without limits of its own. */
const DEFAULT_THROTTLE: Required<ThrottleSettings> = { rateLimit: 10, burstLimit: 20 };

/**
 * One access log line per request, as JSON. The route key (`POST /u/{token}`), never the path: paths
 * carry member tokens, which logs must not hold (docs/reliability.md 10).
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
  clientId: '$context.authorizer.claims.client_id',
};

export interface PublicApiRoutesProps {
  /** The function behind every route. */
  readonly handler: lambda.IFunction;
  /** Verifies marketer JWTs at the gateway (the Cognito user pool's clients). */
  readonly marketerAuthorizer: IHttpRouteAuthorizer;
}

/**
 * The HTTP API: the marketer API under /api behind a JWT authorizer, and the public routes, each with a
 * reason to be public: the member routes (/u one-click unsubscribe per RFC 8058, /p preferences, /s
 * surveys, /c in-mail controls) whose signed token is the credential, the console (/console) whose
 * session the app checks, and /health. Per-route throttling and JSON access logs on the stage.
 */
export class PublicApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: logs.LogGroup;
  /** Base URL of the API, without a trailing slash. */
  readonly url: string;
  private readonly routeAudiences = new Map<string, RouteAudience>();

  /** The API and its stage; the routes come with `addRoutes` (the authorizer needs the API's URL first). */
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Club Planner: marketer API, console and member pages',
      // The default stage is declared below so it can carry throttling and access logs.
      createDefaultStage: false,
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_MONTH });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: DEFAULT_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    this.url = this.httpApi.apiEndpoint;
  }

  /** Each route's key (`POST /u/{token}`) and audience. */
  get routes(): ReadonlyMap<string, RouteAudience> {
    return this.routeAudiences;
  }

  /** Every route, its authorization and its throttle. Call once. */
  addRoutes(props: PublicApiRoutesProps): void {
    if (this.routes.size > 0) throw new Error('the routes were added already');
    const integration = new HttpLambdaIntegration('Handler', props.handler);
    const routes = this.routeAudiences;
    const route = (
      path: string,
      methods: HttpMethod[],
      audience: RouteAudience,
      publicBecause?: string,
    ): HttpRoute[] => {
      const authorizer = audience === 'marketer' ? props.marketerAuthorizer : undefined;
      const added = this.httpApi.addRoutes({ path, methods, integration, authorizer });
      for (const method of methods) routes.set(`${method} ${path}`, audience);
      if (publicBecause) for (const each of added) acknowledge(each, 'APIG4', publicBecause);
      return added;
    };

    // Marketer API: a Cognito JWT (console user or machine client) at the gateway; the app verifies it
    // again and checks the caller's role on the club.
    route('/api/{proxy+}', [HttpMethod.ANY], 'marketer');

    const memberToken =
      'Public by design: the HMAC-signed, expiring member token in the path is the credential (members ' +
      'open these links from their inbox, with no account); the app refuses any bad token with one 404.';
    route(
      '/u/{token}',
      [HttpMethod.GET, HttpMethod.POST],
      'unsubscribe',
      'RFC 8058 one-click unsubscribe must stay public: mailbox providers POST it with no cookie or login. ' +
        'The signed member token in the path is the credential; GET only shows a confirm page.',
    );
    for (const prefix of ['/p', '/s', '/c']) {
      const audience = prefix === '/s' ? 'survey' : 'member';
      route(`${prefix}/{token}`, [HttpMethod.GET, HttpMethod.POST], audience, memberToken);
      route(`${prefix}/{token}/{proxy+}`, [HttpMethod.ANY], audience, memberToken);
    }
    const consoleSession =
      'The marketer console is public at the gateway: the browser has no bearer token to send, so the app ' +
      'runs the Cognito sign-in (authorization code with PKCE) and checks its own session cookie on every ' +
      'request, and the role on the club, before anything else.';
    route('/console', [HttpMethod.ANY], 'console', consoleSession);
    route('/console/{proxy+}', [HttpMethod.ANY], 'console', consoleSession);
    route(
      '/health',
      [HttpMethod.GET],
      'health',
      'Health check for uptime monitors outside AWS, which have no identity: it answers a constant and reads no data.',
    );

    const cfnStage = this.stage.node.defaultChild;
    if (!(cfnStage instanceof CfnStage)) throw new Error('the HTTP stage has no CfnStage');
    const routeSettings: Record<string, CfnStage.RouteSettingsProperty> = {};
    for (const [routeKey, audience] of routes) {
      const limits = ROUTE_THROTTLES[audience];
      routeSettings[routeKey] = { throttlingRateLimit: limits.rateLimit, throttlingBurstLimit: limits.burstLimit };
    }
    cfnStage.routeSettings = routeSettings;
    // Route settings name routes by key: the stage must be deployed after them.
    for (const child of this.httpApi.node.children) {
      if (child.node.id !== 'DefaultStage') this.stage.node.addDependency(child);
    }
  }
}
