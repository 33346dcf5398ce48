import { Views } from '../../shared/ids';

export const VIEW_ID = Views.sources;
export const EXCERPT_SCHEME = 'incident-log';
/** Ids of the catalogue's host checks (probes and state commands), shown under "Host checks". */
export const CHECK_IDS = new Set(['host_tz', 'unit_file', 'nginx_site', 'host_systemctl', 'host_free', 'host_df', 'host_ps', 'host_smtp_conn', 'log_spans', 'app_settings', 'central_hosts', 'central_zone']);
/** More events than this under one source are grouped by kind. */
export const GROUP_OVER = 25;
