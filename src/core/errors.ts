import { asLocalized, render, type Localized } from './l10n';

/** Bad user input (dates, zones, names, paths): refused before anything runs. Its message is a catalogue message. */
export class InputError extends Error {
  /** The message as a catalogue id and its arguments (`message` is its English text). */
  readonly text: Localized;
  constructor(message: string | Localized) {
    super(typeof message === 'string' ? message : render(message, 'en'));
    this.name = 'InputError';
    this.text = asLocalized(message);
  }
}
