import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { IdentityDirectory } from '../core/access-ports.js';
import { ClubPlannerError } from '../core/errors.js';
import { errorName } from './aws-client-config.js';

/** The user pool could not be asked; the SDK's error is the `cause`. */
export class DirectoryError extends ClubPlannerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DirectoryError';
  }
}

function subOf(attributes: readonly AttributeType[] | undefined, email: string): string {
  const sub = attributes?.find((a) => a.Name === 'sub')?.Value;
  if (!sub) throw new DirectoryError(`the user pool answered for ${email} without a sub`);
  return sub;
}

/**
 * Marketers' accounts in the Cognito user pool. An invitation is AdminCreateUser with the address as
 * the user name (the pool signs in by e-mail) and Cognito's own invitation mail with a temporary
 * password; the marketer sets a password and TOTP at first sign-in. An address that has an account
 * already is looked up instead (AdminGetUser), so inviting someone to a second club creates nobody.
 * The api function's role may call AdminCreateUser, AdminGetUser and ListUsers on this pool only.
 */
export class CognitoDirectory implements IdentityDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async invite(email: string): Promise<{ userId: string; email: string; created: boolean }> {
    try {
      const created = await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      return { userId: subOf(created.User?.Attributes, email), email, created: true };
    } catch (error: unknown) {
      if (errorName(error) !== 'UsernameExistsException') {
        throw new DirectoryError(`AdminCreateUser failed (${errorName(error)})`, { cause: error });
      }
    }
    try {
      const found = await this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: email }));
      return { userId: subOf(found.UserAttributes, email), email, created: false };
    } catch (error: unknown) {
      throw new DirectoryError(`AdminGetUser failed (${errorName(error)})`, { cause: error });
    }
  }

  async emailOf(userId: string): Promise<string | undefined> {
    // A sub is a UUID; anything else cannot be one, and must not reach the filter expression.
    if (!/^[0-9a-f-]{36}$/.test(userId)) return undefined;
    try {
      const found = await this.client.send(
        new ListUsersCommand({ UserPoolId: this.userPoolId, Filter: `sub = "${userId}"`, Limit: 1 }),
      );
      return found.Users?.[0]?.Attributes?.find((a) => a.Name === 'email')?.Value;
    } catch (error: unknown) {
      throw new DirectoryError(`ListUsers failed (${errorName(error)})`, { cause: error });
    }
  }
}
