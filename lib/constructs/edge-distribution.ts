import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.js';

/** The header CloudFront adds to every request it forwards; the app refuses requests without it. */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

export interface EdgeDistributionProps {
  readonly api: HttpApi;
  /** A WAFv2 web ACL of CLOUDFRONT scope (us-east-1). */
  readonly webAclArn: string;
}

/**
 * CloudFront in front of the HTTP API, so a WAF web ACL can filter requests: WAFv2 cannot attach to
 * an HTTP API (docs/decisions/0015-waf-through-cloudfront.md). Nothing is cached. CloudFront adds a
 * secret header to every request it forwards; the api function refuses requests without it, so the
 * execute-api URL cannot be used to go around the WAF.
 */
export class EdgeDistribution extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly originVerifySecret: secretsmanager.Secret;
  /** https://<distribution>.cloudfront.net, without a trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: EdgeDistributionProps) {
    super(scope, id);
    this.originVerifySecret = new secretsmanager.Secret(this, 'OriginVerifySecret', {
      description: `Club Planner: the ${ORIGIN_VERIFY_HEADER} header value CloudFront sends to the API`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.originVerifySecret,
      'SMG4',
      'A shared value between CloudFront (origin custom header) and the api function, not a credential to a ' +
        'service: rotating it means updating the distribution, which a Secrets Manager rotation function cannot ' +
        'do atomically. Rotate by changing the secret, then updating the distribution (docs/security.md).',
    );

    const origin = new origins.HttpOrigin(`${props.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      customHeaders: { [ORIGIN_VERIFY_HEADER]: this.originVerifySecret.secretValue.unsafeUnwrap() },
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Club Planner: the API behind AWS WAF',
      defaultBehavior: {
        origin,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        // Every viewer header, cookie and query string but Host, which must stay the execute-api host.
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      webAclId: props.webAclArn,
    });
    acknowledge(
      this.distribution,
      'CFR1',
      'No geo restriction: members may live and travel anywhere, and mailbox providers send RFC 8058 one-click ' +
        'unsubscribes from their own networks worldwide.',
    );
    acknowledge(
      this.distribution,
      'CFR3',
      "CloudFront's standard logs write the full request path, which holds member tokens (docs/reliability.md 10). " +
        'Requests are logged by the API stage access log (route key only) and by the WAF log (path redacted).',
    );
    acknowledge(
      this.distribution,
      'CFR4',
      'The default *.cloudfront.net certificate, which CloudFront serves with its own TLS policy; a custom ' +
        'domain with an ACM certificate would allow TLSv1.2_2021 (docs/security.md). Viewers use HTTPS only.',
    );
    this.url = `https://${this.distribution.distributionDomainName}`;
  }
}
