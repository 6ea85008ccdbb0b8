import type { IHttpRouteAuthorizer, ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpApi, HttpMethod, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface PublicApiProps {
  /** The function behind every route. */
  readonly handler: lambda.IFunction;
  /** Default-stage throttling. @default { rateLimit: 50, burstLimit: 100 } */
  readonly throttle?: ThrottleSettings;
}

/**
 * The HTTP API: the marketer API under /api (IAM auth) and the public member routes
 * (/u one-click unsubscribe per RFC 8058, /p preference pages, /health).
 */
export class PublicApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  /** Base URL of the API, without a trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: PublicApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Club Planner: marketer API and member pages',
      // The default stage is declared below so it can carry throttling.
      createDefaultStage: false,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 50, burstLimit: 100 },
    });
    this.url = this.httpApi.apiEndpoint;

    const integration = new HttpLambdaIntegration('Handler', props.handler);
    const route = (path: string, methods: HttpMethod[], authorizer?: IHttpRouteAuthorizer): void => {
      this.httpApi.addRoutes({ path, methods, integration, authorizer });
    };

    // Marketer API: callers sign requests with SigV4 (Cognito/JWT may replace this later).
    route('/api/{proxy+}', [HttpMethod.ANY], new HttpIamAuthorizer());
    // Member routes are public: the signed token in the path is the credential, and mail clients
    // POST one-click unsubscribes (RFC 8058) without any session.
    route('/u/{token}', [HttpMethod.GET, HttpMethod.POST]);
    route('/p/{token}', [HttpMethod.GET, HttpMethod.POST]);
    route('/p/{token}/{proxy+}', [HttpMethod.ANY]);
    route('/health', [HttpMethod.GET]);
  }
}
