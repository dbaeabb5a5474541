// gitops-dr: the command line over the same core as the extension.
import { commands } from './commands/index';
import { UsageError } from './args';
import { EXIT, type CliIO } from './io';

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`);
  return `usage: gitops-dr <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun "gitops-dr <command> --help" for a command's options.\n`;
}

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`gitops-dr: unknown command "${name}"\n\n${usage()}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`gitops-dr ${name}: ${e.message}\n${command.usage}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`gitops-dr ${name}: ${(e as Error).message}\n`);
    return EXIT.failed;
  }
}

if (require.main === module) {
  const io: CliIO = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`gitops-dr: ${(e as Error).message}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}
