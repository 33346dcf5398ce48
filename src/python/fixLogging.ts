// Fix (b): a LOGGING configuration in settings.py (console + rotating file in the app's logs folder) when none.
import type { Tree } from 'web-tree-sitter';
import type { OffsetEdit } from './edits';
import { addPlainImports } from './imports';
import { eolOf } from './layout';
import { field, kids } from './nodes';

function assigns(tree: Tree, name: string): boolean {
  return kids(tree.rootNode).some((s) => {
    const a = s.type === 'expression_statement' ? kids(s)[0] : undefined;
    return (a?.type === 'assignment' || a?.type === 'augmented_assignment') && field(a, 'left')?.text === name;
  });
}

/** A settings module: assigns INSTALLED_APPS or ROOT_URLCONF at top level. */
export function isDjangoSettings(tree: Tree): boolean {
  return assigns(tree, 'INSTALLED_APPS') || assigns(tree, 'ROOT_URLCONF');
}

export function hasLoggingConfig(tree: Tree): boolean {
  return assigns(tree, 'LOGGING');
}

export function loggingEdits(text: string, tree: Tree): OffsetEdit[] {
  if (hasLoggingConfig(tree)) return [];
  const eol = eolOf(text);
  const edits: OffsetEdit[] = [];
  let filename: string;
  if (assigns(tree, 'BASE_DIR')) filename = 'str(BASE_DIR / "logs" / "django.log")';
  else {
    edits.push(...addPlainImports(text, tree, ['os']));
    filename = 'os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "logs", "django.log")';
  }
  const block = [
    '',
    '# Logging (added by Incident Lens): errors and tracebacks go to the console (the systemd journal under',
    '# Gunicorn) and to a rotating file in the app\'s logs folder. The logs folder is NOT created here: create it',
    '# at deploy time, writable by the service user (e.g. `install -d -o www-data -g www-data logs`).',
    '# "delay": True opens the file on the first record, so a missing folder cannot stop the app from starting.',
    'LOGGING = {',
    '    "version": 1,',
    '    "disable_existing_loggers": False,',
    '    "formatters": {',
    '        "verbose": {',
    '            "format": "{asctime} {levelname} {name} [{process:d}] {message}",',
    '            "style": "{",',
    '        },',
    '    },',
    '    "handlers": {',
    '        "console": {"class": "logging.StreamHandler", "formatter": "verbose"},',
    '        "file": {',
    '            "class": "logging.handlers.RotatingFileHandler",',
    `            "filename": ${filename},`,
    '            "maxBytes": 5 * 1024 * 1024,',
    '            "backupCount": 5,',
    '            "delay": True,',
    '            "formatter": "verbose",',
    '        },',
    '    },',
    '    "root": {"handlers": ["console", "file"], "level": "INFO"},',
    '}',
  ];
  const end = text.length;
  const sep = text.endsWith('\n') ? '' : eol;
  edits.push({ start: end, end, text: sep + block.join(eol) + eol });
  return edits;
}
