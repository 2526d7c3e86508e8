#include "cli/runcommand.h"

#include "cli/projectoptions.h"
#include "ops/operationcatalog.h"
#include "ops/planrenderer.h"
#include "ops/planrunner.h"
#include "ops/target.h"
#include "platform/unixsignalnotifier.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>

#include <csignal>
#include <cstdio>

namespace {

constexpr int kUsageError = 2;

void print(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

QString listText()
{
    QString text;
    qsizetype width = 0;
    for (const Operation &op : OperationCatalog::all())
        width = std::max(width, op.name.size());
    for (const Operation &op : OperationCatalog::all()) {
        text += QStringLiteral("  %1  %2%3\n")
                    .arg(op.name.leftJustified(width), op.summary,
                         op.destructive ? QStringLiteral(" (destructive)") : QString());
    }
    return text;
}

} // namespace

int runOperationCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Runs one MigrationDesk operation without a window."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("operation"),
                                 QStringLiteral("The operation to run (see --list)."));
    const QCommandLineOption listOption(QStringLiteral("list"), QStringLiteral("List the operations."));
    const QCommandLineOption dryRunOption(QStringLiteral("dry-run"),
                                          QStringLiteral("Print the exact commands and SQL, run nothing."));
    const QCommandLineOption yesOption(QStringLiteral("yes"),
                                       QStringLiteral("Confirm a destructive operation."));
    parser.addOption(listOption);
    parser.addOption(dryRunOption);
    parser.addOption(yesOption);
    ProjectOptions::addTo(parser);

    QStringList argv = arguments;
    argv.prepend(QStringLiteral("migrationdesk run"));
    if (!parser.parse(argv)) {
        print(stderr, QStringLiteral("migrationdesk run: %1\n").arg(parser.errorText()));
        return kUsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        print(stdout, parser.helpText() + QStringLiteral("\nOperations:\n") + listText());
        return 0;
    }
    if (parser.isSet(listOption)) {
        print(stdout, listText());
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        print(stderr, QStringLiteral("usage: migrationdesk run OPERATION --project DIR [--dry-run] [--yes]\n"
                                     "       migrationdesk run --list\n"));
        return kUsageError;
    }
    const QString name = positional.constFirst();
    if (!OperationCatalog::find(name)) {
        print(stderr, QStringLiteral("migrationdesk run: unknown operation \"%1\"; these exist:\n%2")
                          .arg(name, listText()));
        return kUsageError;
    }

    const ProjectLoadResult project = ProjectOptions::resolve(parser);
    for (const QString &warning : project.warnings)
        print(stderr, QStringLiteral("warning: %1\n").arg(warning));
    if (!project.ok()) {
        for (const QString &error : project.errors)
            print(stderr, QStringLiteral("error: %1\n").arg(error));
        return kUsageError;
    }

    OperationOptions options;
    if (project.config.target == TargetKind::Compose) {
        bool found = false;
        options.composeVariant = ComposeCli::detect(&found);
        if (!found)
            print(stderr, QStringLiteral("warning: neither `docker compose` nor `docker-compose` answered; "
                                         "assuming `docker compose`\n"));
    }
    const Plan plan = OperationCatalog::build(name, project.config, options);
    const QString preview = PlanRenderer::render(plan);

    if (parser.isSet(dryRunOption)) {
        print(stdout, preview);
        return 0;
    }
    if (plan.destructive && !parser.isSet(yesOption)) {
        print(stdout, preview);
        print(stderr, QStringLiteral("migrationdesk run: %1 is destructive; nothing was done. "
                                     "Read the plan above and pass --yes to run it.\n")
                          .arg(name));
        return kUsageError;
    }

    PlanRunner runner;
    runner.setMaskedTextEnabled(true);
    QObject::connect(&runner, &PlanRunner::stepStarted, [](int, const QString &header) {
        print(stderr, QStringLiteral("==> %1\n").arg(header));
    });
    QObject::connect(&runner, &PlanRunner::maskedText, [](const QString &text, OutputChannel channel) {
        print(channel == OutputChannel::StdOut ? stdout : stderr, text);
    });
    RunResult result;
    QEventLoop loop;
    QObject::connect(&runner, &PlanRunner::finished, &loop, [&](const RunResult &r) {
        result = r;
        loop.quit();
    });
    // Ctrl+C (and a SIGTERM) cancels like the Stop button: the step's whole process group ends.
    UnixSignalNotifier interrupts({SIGINT, SIGTERM});
    QObject::connect(&interrupts, &UnixSignalNotifier::received, &runner, [&runner] {
        print(stderr, QStringLiteral("\nmigrationdesk: cancelling…\n"));
        runner.cancel();
    });
    if (!runner.start(plan))
        return kUsageError;
    loop.exec();

    if (result.success)
        return 0;
    QString report = QStringLiteral("migrationdesk run: %1\n").arg(result.message);
    if (!result.failedCommand.isEmpty())
        report += QStringLiteral("  command: %1\n").arg(result.failedCommand);
    if (!result.errorTail.isEmpty() && !result.cancelled)
        report += QStringLiteral("  last error output:\n    %1\n")
                      .arg(result.errorTail.split(QLatin1Char('\n')).join(QStringLiteral("\n    ")));
    print(stderr, report);
    return result.exitCode != 0 ? result.exitCode : 1;
}
