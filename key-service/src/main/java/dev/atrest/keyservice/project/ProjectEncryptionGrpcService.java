package dev.atrest.keyservice.project;

import dev.atrest.keyservice.grpc.UnaryCalls;
import dev.atrest.keyservice.grpc.UnparsableRequests;
import dev.atrest.v1.DisableProjectEncryptionRequest;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import dev.atrest.v1.UpdateProjectEncryptionRequest;
import dev.atrest.v1.ValidateProjectEncryptionRequest;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/** atrest.v1.ProjectEncryptionService: transport only. */
@GrpcService
@Blocking
public class ProjectEncryptionGrpcService implements BindableService, ProjectEncryptionServiceGrpc.AsyncService {
    private final Projects projects;

    public ProjectEncryptionGrpcService(Projects projects) {
        this.projects = projects;
    }

    /**
     * Bound by hand rather than through the generated ImplBase (whose bindService is final), so that requests
     * that are not valid protobuf are refused as INVALID_ARGUMENT (see UnparsableRequests).
     */
    @Override
    public ServerServiceDefinition bindService() {
        return UnparsableRequests.refused(ProjectEncryptionServiceGrpc.bindService(this));
    }

    @Override
    public void getProjectEncryption(GetProjectEncryptionRequest request, StreamObserver<ProjectEncryption> response) {
        UnaryCalls.respond(response, () -> ProjectMessages.toMessage(projects.get(request.getProjectId())));
    }

    @Override
    public void updateProjectEncryption(UpdateProjectEncryptionRequest request, StreamObserver<ProjectEncryption> response) {
        UnaryCalls.respond(response, () -> ProjectMessages.toMessage(projects.apply(ProjectMessages.toUpdate(request))));
    }

    @Override
    public void disableProjectEncryption(DisableProjectEncryptionRequest request, StreamObserver<ProjectEncryption> response) {
        UnaryCalls.respond(response, () ->
                ProjectMessages.toMessage(projects.disable(request.getProjectId(), request.getEtag())));
    }

    @Override
    public void validateProjectEncryption(ValidateProjectEncryptionRequest request, StreamObserver<ProjectEncryption> response) {
        UnaryCalls.respond(response, () -> ProjectMessages.toMessage(projects.validate(request.getProjectId())));
    }
}
