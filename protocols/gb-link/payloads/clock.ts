import { CMD } from '../commandCodes.js';
import type { LinkDateTime } from '../fields.js';
import { command, emptyPayload, layout } from './codec.js';
import { linkDateTime } from './schemas.js';

function dateTimeCodec(code: number) {
  return layout<LinkDateTime>(code, linkDateTime, (w, v) => w.dateTime(v), (r) => r.dateTime());
}

/** 3A date-time: 7-byte BCD CCYYMMDDhhmmss, register-local. */
export const dateTime = command(CMD.DATE_TIME, 'date-time', 'read', emptyPayload(CMD.DATE_TIME), dateTimeCodec(CMD.DATE_TIME));

/** 3B set time (before initialization, or within the day): the same 7 bytes. */
export const setTime = command(CMD.SET_TIME, 'set time', 'write', dateTimeCodec(CMD.SET_TIME), emptyPayload(CMD.SET_TIME));

/** 63 change date-time (after initialization; the register may want the management card): the same 7 bytes. */
export const changeTime = command(CMD.CHANGE_TIME, 'change date-time', 'write', dateTimeCodec(CMD.CHANGE_TIME), emptyPayload(CMD.CHANGE_TIME));
