package dev.atrest.terraform.provider;

import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;
import dev.atrest.terraform.wire.SchemaProtos;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Everything the provider offers, by Terraform type name, and the schema response built from it once. */
public final class Catalog {

    /** Schema versions start at 0; bump one (and teach UpgradeResourceState) when a state shape changes. */
    private static final long SCHEMA_VERSION = 0;

    private final Map<String, ManagedResource> resources = new TreeMap<>();
    private final Map<String, DataSource> dataSources = new TreeMap<>();
    private final Tfplugin6.GetProviderSchema.Response providerSchema;

    public Catalog(List<ManagedResource> resources, List<DataSource> dataSources) {
        resources.forEach(resource -> this.resources.put(resource.typeName(), resource));
        dataSources.forEach(dataSource -> this.dataSources.put(dataSource.typeName(), dataSource));
        this.providerSchema = buildSchema();
    }

    public Map<String, ManagedResource> resources() {
        return resources;
    }

    public Map<String, DataSource> dataSources() {
        return dataSources;
    }

    public ManagedResource resource(String typeName) {
        ManagedResource resource = resources.get(typeName);
        if (resource == null) {
            throw Status.INVALID_ARGUMENT.withDescription("no resource type " + typeName).asRuntimeException();
        }
        return resource;
    }

    public DataSource dataSource(String typeName) {
        DataSource dataSource = dataSources.get(typeName);
        if (dataSource == null) {
            throw Status.INVALID_ARGUMENT.withDescription("no data source " + typeName).asRuntimeException();
        }
        return dataSource;
    }

    /** plan_destroy: PlanResourceChange also sees destroys (we accept them as they are). */
    public Tfplugin6.ServerCapabilities capabilities() {
        return Tfplugin6.ServerCapabilities.newBuilder().setPlanDestroy(true).build();
    }

    public Tfplugin6.GetProviderSchema.Response providerSchema() {
        return providerSchema;
    }

    private Tfplugin6.GetProviderSchema.Response buildSchema() {
        Tfplugin6.GetProviderSchema.Response.Builder schema = Tfplugin6.GetProviderSchema.Response.newBuilder()
                .setProvider(SchemaProtos.schema(SCHEMA_VERSION, ProviderSettings.SCHEMA))
                .setServerCapabilities(capabilities());
        resources.forEach((name, resource) ->
                schema.putResourceSchemas(name, SchemaProtos.schema(SCHEMA_VERSION, resource.schema())));
        dataSources.forEach((name, dataSource) ->
                schema.putDataSourceSchemas(name, SchemaProtos.schema(SCHEMA_VERSION, dataSource.schema())));
        return schema.build();
    }
}
