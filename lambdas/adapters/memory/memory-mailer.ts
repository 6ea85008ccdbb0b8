import type { Mailer, OutgoingMail } from '../../core/ports.js';

/** Keeps every mail it is given, with the message id it answered: the in-memory twin of SesMailer. */
export class MemoryMailer implements Mailer {
  readonly sent: Array<OutgoingMail & { readonly messageId: string }> = [];

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const messageId = `memory-${this.sent.length + 1}`;
    this.sent.push({ ...mail, messageId });
    return { messageId };
  }
}
