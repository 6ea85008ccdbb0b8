import type { Clock, Mailer, OutgoingMail } from '../core/ports.js';
import type { MailEvent } from '../core/ses-events.js';
import { buildSesEvent, simulatorOutcome } from './local-ses-event-builder.js';

/**
 * A local stand-in for SES event publishing, which the local SES emulator lacks: after the inner
 * mailer took a mail, it publishes what SES would, in SES's own EventBridge shape, to `publish`
 * (the local events queue, consumed by the deployed handler). Mailbox simulator addresses
 * (bounce@simulator.amazonses.com, complaint@…) give bounces and complaints as on SES.
 */
export class LocalSesEvents implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly publish: (body: string) => void,
    private readonly clock: Clock,
    private readonly configurationSet = 'club-planner-local',
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const result = await this.inner.send(mail);
    const sentAt = this.clock.now();
    const base = {
      messageId: result.messageId,
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      tags: { ...mail.tags },
      sentAt,
      configurationSet: this.configurationSet,
    };
    const kinds: Array<MailEvent['kind']> = ['send'];
    switch (simulatorOutcome(mail.to)) {
      case 'delivery':
        kinds.push('delivery');
        break;
      case 'hard-bounce':
      case 'suppressed':
        kinds.push('hard-bounce');
        break;
      case 'soft-bounce':
        kinds.push('soft-bounce');
        break;
      case 'complaint':
        kinds.push('delivery', 'complaint');
        break;
    }
    for (const kind of kinds) this.publish(JSON.stringify(buildSesEvent(kind, base)));
    return result;
  }
}
