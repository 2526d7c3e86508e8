#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <QStringList>

class QCommandLineParser;

// A positional argument of a command; values: what completion offers (empty: anything).
struct CliArgument
{
    QString name;
    QString description;
    QString syntax;
    QStringList values;
};

// One headless command: everything its --help, the man page and shell completion say about it
// comes from this value, so they cannot drift apart.
struct CliCommand
{
    QString name;
    QString summary; // one line: the overview, the parser's description, completion
    QList<QCommandLineOption> options; // --help is added by the parser
    QList<CliArgument> arguments;
    int (*run)(const QStringList &arguments) = nullptr; // argv after the command name
    // Draws pictures with the GUI library: runs in a QApplication on the offscreen platform
    // (still no display needed), not a bare QCoreApplication.
    bool drawsPictures = false;
};

// The command line of the one binary: the window's options and the headless commands.
namespace CommandRegistry {

const QList<CliCommand> &all();
const CliCommand *find(const QString &name);

// The window's own options (--project, --demo); --help and --version are the parser's.
QList<QCommandLineOption> guiOptions();
QString guiDescription();
// `migrationdesk --help`: the window's options and the list of commands.
QString overviewText(const QString &guiHelp);

// Description, --help, options and positional arguments of command, as its run function parses.
void setUp(QCommandLineParser &parser, const QString &command);

// parser.helpText() with "Usage: migrationdesk COMMAND …" (Qt writes argv[0], a path).
QString helpText(const QCommandLineParser &parser, const QString &command);

// Values completion offers for an option's value ("compose local"), or a kind: "dir" / "file".
QStringList optionValues(const QCommandLineOption &option);
QString optionValueKind(const QCommandLineOption &option);

} // namespace CommandRegistry
