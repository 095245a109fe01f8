package dev.atrest.terraform.provider;

import dev.atrest.terraform.protocol.tfplugin6.ProviderGrpc;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6.ApplyResourceChange;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6.ConfigureProvider;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6.GetFunctions;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6.GetMetadata;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6.GetProviderSchema;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6.ImportResourceState;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6.PlanResourceChange;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6.ReadDataSource;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6.ReadResource;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6.StopProvider;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6.UpgradeResourceState;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6.ValidateDataResourceConfig;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6.ValidateProviderConfig;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6.ValidateResourceConfig;
import dev.atrest.terraform.wire.Values;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * The tfplugin6 {@code Provider} service: decodes Terraform's values, hands them to the resource or data
 * source named in the request, and encodes the answer. Lifecycle rules live in the resources.
 */
public final class ProviderService extends ProviderGrpc.ProviderImplBase {

    private static final Logger LOG = Logger.getLogger(ProviderService.class.getName());

    private final Map<String, String> environment;
    private final CompletableFuture<Catalog> catalogReady;
    private volatile AtrestClient client;

    public ProviderService(Map<String, String> environment, Catalog catalog) {
        this(environment, CompletableFuture.completedFuture(catalog));
    }

    /**
     * With a catalog still being built: building the schemas (protobuf descriptors and all) overlaps the
     * server start and the handshake, and the first request waits for it only if it comes earlier.
     */
    public ProviderService(Map<String, String> environment, CompletableFuture<Catalog> catalog) {
        this.environment = Map.copyOf(environment);
        this.catalogReady = catalog;
    }

    private Catalog catalog() {
        return catalogReady.join();
    }

    @Override
    public void getMetadata(GetMetadata.Request request, StreamObserver<GetMetadata.Response> response) {
        GetMetadata.Response.Builder metadata = GetMetadata.Response.newBuilder()
                .setServerCapabilities(catalog().capabilities());
        catalog().resources().keySet().forEach(name ->
                metadata.addResources(GetMetadata.ResourceMetadata.newBuilder().setTypeName(name)));
        catalog().dataSources().keySet().forEach(name ->
                metadata.addDataSources(GetMetadata.DataSourceMetadata.newBuilder().setTypeName(name)));
        respond(response, metadata.build());
    }

    @Override
    public void getProviderSchema(GetProviderSchema.Request request,
            StreamObserver<GetProviderSchema.Response> response) {
        respond(response, catalog().providerSchema());
    }

    @Override
    public void getFunctions(GetFunctions.Request request, StreamObserver<GetFunctions.Response> response) {
        respond(response, GetFunctions.Response.getDefaultInstance()); // this provider defines no functions
    }

    @Override
    public void validateProviderConfig(ValidateProviderConfig.Request request,
            StreamObserver<ValidateProviderConfig.Response> response) {
        Diagnostics diagnostics = new Diagnostics();
        Map<String, Object> config = DynamicValues.decode(request.getConfig(), ProviderSettings.SCHEMA);
        if (config != null && !Values.containsUnknown(config)) {
            ClientTls.context(ProviderSettings.resolve(config, environment, diagnostics), diagnostics);
        }
        respond(response, ValidateProviderConfig.Response.newBuilder()
                .addAllDiagnostics(diagnostics.asList()).build());
    }

    @Override
    public void configureProvider(ConfigureProvider.Request request,
            StreamObserver<ConfigureProvider.Response> response) {
        Diagnostics diagnostics = new Diagnostics();
        Map<String, Object> config = DynamicValues.decode(request.getConfig(), ProviderSettings.SCHEMA);
        ProviderSettings settings = ProviderSettings.resolve(config == null ? Map.of() : config, environment,
                diagnostics);
        SslContext tls = ClientTls.context(settings, diagnostics);
        if (!diagnostics.hasErrors()) {
            AtrestClient previous = client;
            client = AtrestClient.connect(settings, tls);
            if (previous != null) {
                previous.close();
            }
            LOG.fine(() -> "configured: " + settings);
        }
        respond(response, ConfigureProvider.Response.newBuilder().addAllDiagnostics(diagnostics.asList()).build());
    }

    @Override
    public void validateResourceConfig(ValidateResourceConfig.Request request,
            StreamObserver<ValidateResourceConfig.Response> response) {
        ManagedResource resource = catalog().resource(request.getTypeName());
        Diagnostics diagnostics = new Diagnostics();
        resource.validate(DynamicValues.decode(request.getConfig(), resource.schema()), diagnostics);
        respond(response, ValidateResourceConfig.Response.newBuilder()
                .addAllDiagnostics(diagnostics.asList()).build());
    }

    @Override
    public void validateDataResourceConfig(ValidateDataResourceConfig.Request request,
            StreamObserver<ValidateDataResourceConfig.Response> response) {
        DataSource dataSource = catalog().dataSource(request.getTypeName());
        Diagnostics diagnostics = new Diagnostics();
        dataSource.validate(DynamicValues.decode(request.getConfig(), dataSource.schema()), diagnostics);
        respond(response, ValidateDataResourceConfig.Response.newBuilder()
                .addAllDiagnostics(diagnostics.asList()).build());
    }

    /**
     * Terraform always calls this first with the stored JSON. Schema version 0 is the only one so far,
     * so upgrading means re-reading the JSON in the current shape (dropping attributes that went away).
     * Attributes added since read as null: {@code generation} (filled by the next refresh; a destroy without
     * it acts as before it existed) and the {@code timeouts} block (defaults apply). Additive changes like
     * these keep the version, so a state written by this provider still reads in an older one.
     */
    @Override
    public void upgradeResourceState(UpgradeResourceState.Request request,
            StreamObserver<UpgradeResourceState.Response> response) {
        ManagedResource resource = catalog().resource(request.getTypeName());
        UpgradeResourceState.Response.Builder upgraded = UpgradeResourceState.Response.newBuilder();
        if (request.getRawState().getJson().isEmpty()) {
            Diagnostics diagnostics = new Diagnostics();
            diagnostics.error("cannot read stored state", "state of " + request.getTypeName()
                    + " is not JSON; it was not written by this provider");
            upgraded.addAllDiagnostics(diagnostics.asList());
        } else {
            Map<String, Object> state = DynamicValues.decode(Tfplugin6.DynamicValue.newBuilder()
                    .setJson(request.getRawState().getJson()).build(), resource.schema());
            upgraded.setUpgradedState(DynamicValues.encode(state, resource.schema()));
        }
        respond(response, upgraded.build());
    }

    @Override
    public void readResource(ReadResource.Request request, StreamObserver<ReadResource.Response> response) {
        ManagedResource resource = catalog().resource(request.getTypeName());
        Diagnostics diagnostics = new Diagnostics();
        Map<String, Object> current = DynamicValues.decode(request.getCurrentState(), resource.schema());
        Map<String, Object> state = current;
        if (current != null && configured(diagnostics)) {
            state = resource.read(current, client, diagnostics);
            if (diagnostics.hasErrors()) {
                state = current; // a failed read changes nothing
            }
        }
        respond(response, ReadResource.Response.newBuilder()
                .setNewState(DynamicValues.encode(state, resource.schema()))
                .setPrivate(request.getPrivate())
                .addAllDiagnostics(diagnostics.asList()).build());
    }

    @Override
    public void planResourceChange(PlanResourceChange.Request request,
            StreamObserver<PlanResourceChange.Response> response) {
        ManagedResource resource = catalog().resource(request.getTypeName());
        Map<String, Object> proposed = DynamicValues.decode(request.getProposedNewState(), resource.schema());
        PlanResourceChange.Response.Builder plan = PlanResourceChange.Response.newBuilder()
                .setPlannedPrivate(request.getPriorPrivate());
        if (proposed == null) {
            plan.setPlannedState(DynamicValues.encode(null, resource.schema())); // destroy: nothing to add
        } else {
            ManagedResource.Plan planned = resource.plan(
                    DynamicValues.decode(request.getPriorState(), resource.schema()), proposed,
                    DynamicValues.decode(request.getConfig(), resource.schema()));
            plan.setPlannedState(DynamicValues.encode(planned.planned(), resource.schema()));
            planned.requiresReplace().forEach(path -> plan.addRequiresReplace(AttributePaths.of(path)));
        }
        respond(response, plan.build());
    }

    @Override
    public void applyResourceChange(ApplyResourceChange.Request request,
            StreamObserver<ApplyResourceChange.Response> response) {
        ManagedResource resource = catalog().resource(request.getTypeName());
        Diagnostics diagnostics = new Diagnostics();
        Map<String, Object> prior = DynamicValues.decode(request.getPriorState(), resource.schema());
        Map<String, Object> state = prior;
        if (configured(diagnostics)) {
            state = resource.apply(prior, DynamicValues.decode(request.getPlannedState(), resource.schema()),
                    DynamicValues.decode(request.getConfig(), resource.schema()), client, diagnostics);
        }
        respond(response, ApplyResourceChange.Response.newBuilder()
                .setNewState(DynamicValues.encode(state, resource.schema()))
                .setPrivate(request.getPlannedPrivate())
                .addAllDiagnostics(diagnostics.asList()).build());
    }

    @Override
    public void importResourceState(ImportResourceState.Request request,
            StreamObserver<ImportResourceState.Response> response) {
        ManagedResource resource = catalog().resource(request.getTypeName());
        Diagnostics diagnostics = new Diagnostics();
        Map<String, Object> state = resource.importState(request.getId(), diagnostics);
        ImportResourceState.Response.Builder imported = ImportResourceState.Response.newBuilder();
        if (state != null && !diagnostics.hasErrors()) {
            imported.addImportedResources(ImportResourceState.ImportedResource.newBuilder()
                    .setTypeName(request.getTypeName())
                    .setState(DynamicValues.encode(state, resource.schema())));
        }
        respond(response, imported.addAllDiagnostics(diagnostics.asList()).build());
    }

    @Override
    public void readDataSource(ReadDataSource.Request request, StreamObserver<ReadDataSource.Response> response) {
        DataSource dataSource = catalog().dataSource(request.getTypeName());
        Diagnostics diagnostics = new Diagnostics();
        Map<String, Object> config = DynamicValues.decode(request.getConfig(), dataSource.schema());
        ReadDataSource.Response.Builder read = ReadDataSource.Response.newBuilder();
        if (configured(diagnostics)) {
            Map<String, Object> state = dataSource.read(config, client, diagnostics);
            if (state != null && !diagnostics.hasErrors()) {
                read.setState(DynamicValues.encode(state, dataSource.schema()));
            }
        }
        respond(response, read.addAllDiagnostics(diagnostics.asList()).build());
    }

    @Override
    public void stopProvider(StopProvider.Request request, StreamObserver<StopProvider.Response> response) {
        // Calls are short and have deadlines, except a wait within a resource's timeouts: end those now.
        Waiting.SYSTEM.stop();
        respond(response, StopProvider.Response.getDefaultInstance());
    }

    private boolean configured(Diagnostics diagnostics) {
        if (client == null) {
            diagnostics.error("provider not configured", "ConfigureProvider was not called before this request");
            return false;
        }
        return true;
    }

    private static <T> void respond(StreamObserver<T> response, T message) {
        response.onNext(message);
        response.onCompleted();
    }
}
