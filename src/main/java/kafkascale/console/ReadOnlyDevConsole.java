package kafkascale.console;

import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.console.DevConsole;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A Camel dev console that only reads: the {@code action} option, with which Camel's route,
 * route-group and processor consoles start, stop, suspend, resume or reset routes and processors,
 * is dropped before the console runs. Everything else (filters, limits, JSON or text) passes through.
 */
final class ReadOnlyDevConsole extends ServiceSupport implements DevConsole, CamelContextAware {

    /** The option Camel 4.18's route, route-group and processor consoles act on. */
    static final String ACTION = "action";

    private final DevConsole delegate;

    ReadOnlyDevConsole(DevConsole delegate) {
        this.delegate = delegate;
    }

    @Override
    public Object call(MediaType mediaType, Map<String, Object> options) {
        Map<String, Object> readOnly = new HashMap<>(options);
        readOnly.remove(ACTION);
        return delegate.call(mediaType, readOnly);
    }

    @Override
    public String getGroup() {
        return delegate.getGroup();
    }

    @Override
    public String getId() {
        return delegate.getId();
    }

    @Override
    public String getDisplayName() {
        return delegate.getDisplayName();
    }

    @Override
    public String getDescription() {
        return delegate.getDescription() + " (read-only)";
    }

    @Override
    public boolean supportMediaType(MediaType mediaType) {
        return delegate.supportMediaType(mediaType);
    }

    @Override
    public CamelContext getCamelContext() {
        return delegate instanceof CamelContextAware aware ? aware.getCamelContext() : null;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        CamelContextAware.trySetCamelContext(delegate, camelContext);
    }

    @Override
    protected void doInit() {
        ServiceHelper.initService(delegate);
    }

    @Override
    protected void doStart() {
        ServiceHelper.startService(delegate);
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(delegate);
    }
}
