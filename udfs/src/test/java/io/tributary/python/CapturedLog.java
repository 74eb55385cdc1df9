package io.tributary.python;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** The messages one logger writes (at INFO and above) while open; they go nowhere else meanwhile. */
final class CapturedLog implements AutoCloseable {
    private final Logger logger;
    private final Level level;
    private final boolean additive;
    private final AbstractAppender appender;
    private final List<String> messages = new ArrayList<>();

    CapturedLog(Class<?> loggerClass) {
        logger = (Logger) LogManager.getLogger(loggerClass);
        level = logger.getLevel();
        additive = logger.isAdditive();
        appender = new AbstractAppender("captured-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                synchronized (messages) {
                    messages.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
    }

    List<String> messages() {
        synchronized (messages) {
            return new ArrayList<>(messages);
        }
    }

    @Override
    public void close() {
        logger.removeAppender(appender);
        logger.setAdditive(additive);
        logger.setLevel(level);
        appender.stop();
    }
}
