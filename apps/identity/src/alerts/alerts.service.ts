import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { AlertableEvent, AlertKind, alertKindOf } from './alert-rules';
import { StuffingDetector } from './stuffing-detector';
import { WebhookSender } from './webhook-sender';

/**
 * Turns high-severity audit events into alerts: a log line at `warn` always, and a JSON post to
 * ALERT_WEBHOOK_URL when it is set. Never blocks or fails the request that caused the event.
 */
@Injectable()
export class AlertsService implements OnApplicationShutdown {
  private readonly logger = new Logger('Alerts');
  private readonly sender?: WebhookSender;
  private readonly stuffing = new StuffingDetector();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.alertWebhookUrl) this.sender = new WebhookSender(config.alertWebhookUrl);
  }

  consider(event: AlertableEvent): void {
    const kind =
      alertKindOf(event) ??
      (event.type === 'login.failed' &&
      event.ip &&
      this.stuffing.failedLogin(event.ip, event.subjectId)
        ? 'credential_stuffing'
        : undefined);
    if (kind) this.raise(kind, event);
  }

  onApplicationShutdown(): void {
    this.sender?.close();
  }

  private raise(alert: AlertKind, event: AlertableEvent): void {
    const payload = {
      source: 'tessera',
      issuer: this.config.issuer,
      severity: 'high',
      alert,
      at: new Date().toISOString(),
      event,
    };
    this.logger.warn({ alert, eventId: event.id, type: event.type }, 'security alert');
    this.sender?.send(payload);
  }
}
