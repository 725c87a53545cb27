package dev.athanor.ops.scheduler;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.dropwizard.logging.common.FileAppenderFactory;
import io.dropwizard.logging.common.async.AsyncLoggingEventAppenderFactory;
import io.dropwizard.logging.common.filter.ThresholdLevelFilterFactory;
import io.dropwizard.logging.common.layout.DropwizardLayoutFactory;
import io.dropwizard.logging.json.EventJsonLayoutBaseFactory;
import io.dropwizard.util.DataSize;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's own log, where {@code ops logs scheduler} reads it: JSON lines in
 * {@code storage.logDirectory/scheduler.log}, in the format of the site's {@code app.log} (Dropwizard's {@code json}
 * layout), rotated daily and at 100 MiB, two weeks kept. It takes INFO and above (more when {@code OPS_LOG_LEVEL}
 * asks for more); standard error, the journal under systemd, keeps its own level.
 */
final class SchedulerLog implements AutoCloseable {

    static final String FILE = "scheduler.log";

    private final Logger root;
    private final Appender<ILoggingEvent> appender;

    private SchedulerLog(Logger root, Appender<ILoggingEvent> appender) {
        this.root = root;
        this.appender = appender;
    }

    /** Starts writing {@code logDirectory/scheduler.log}; close to flush it. */
    static SchedulerLog start(Path logDirectory) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level consoleLevel = root.getLevel();
        root.iteratorForAppenders().forEachRemaining(console -> {
            ThresholdFilter threshold = new ThresholdFilter();
            threshold.setLevel(consoleLevel.levelStr);
            threshold.start();
            console.addFilter(threshold);
        });
        root.setLevel(Level.INFO.isGreaterOrEqual(consoleLevel) ? consoleLevel : Level.INFO);
        FileAppenderFactory<ILoggingEvent> file = new FileAppenderFactory<>();
        file.setCurrentLogFilename(logDirectory.resolve(FILE).toString());
        file.setArchivedLogFilenamePattern(logDirectory.resolve("scheduler-%d-%i.log.gz").toString());
        file.setArchivedFileCount(14);
        file.setMaxFileSize(DataSize.mebibytes(100));
        file.setLayout(new EventJsonLayoutBaseFactory());
        Appender<ILoggingEvent> appender = file.build(context, "ops", new DropwizardLayoutFactory(),
                new ThresholdLevelFilterFactory(), new AsyncLoggingEventAppenderFactory());
        root.addAppender(appender);
        return new SchedulerLog(root, appender);
    }

    /** Writes what is still queued and closes the file. */
    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
