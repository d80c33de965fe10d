/*
 * FANN side of the training benchmark (benchmarks/run.sh training builds it with gcc against libfann-dev).
 *
 *   fann_bench TRAIN VAL "36,32,6" EPOCHS incremental|minibatch BATCH LEARNING_RATE SEED TARGET_ACCURACY
 *
 * Data files are in FANN's text format, written by edgenet-bench from the same normalized rows EdgeNet trains
 * on (one-hot targets). Hidden layers tanh, output sigmoid, quadratic error (FANN_ERRORFUNC_LINEAR), plain
 * gradient descent. Every epoch shuffles the rows (fann_shuffle_train_data, as EdgeNet shuffles), then
 * incremental = FANN_TRAIN_INCREMENTAL (one update per sample); minibatch = FANN_TRAIN_BATCH on consecutive
 * BATCH-row views of the shuffled data (one averaged update per view, no copying). "seconds" times the
 * shuffles and training calls only; validation accuracy is taken after every epoch and "seconds_to_target"
 * is wall time including those evaluations (as EdgeNet's epoch times include its validation pass).
 * Prints one JSON object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fann.h>

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double accuracy(struct fann *ann, struct fann_train_data *data)
{
    unsigned int i, k, correct = 0;
    unsigned int outputs = fann_num_output_train_data(data);
    for (i = 0; i < fann_length_train_data(data); i++) {
        fann_type *y = fann_run(ann, data->input[i]);
        unsigned int best = 0, label = 0;
        for (k = 1; k < outputs; k++) {
            if (y[k] > y[best]) best = k;
            if (data->output[i][k] > data->output[i][label]) label = k;
        }
        if (best == label) correct++;
    }
    return (double)correct / fann_length_train_data(data);
}

int main(int argc, char **argv)
{
    if (argc != 10) {
        fprintf(stderr, "usage: %s TRAIN VAL LAYERS EPOCHS incremental|minibatch BATCH LEARNING_RATE SEED TARGET_ACCURACY\n", argv[0]);
        return 2;
    }
    struct fann_train_data *train = fann_read_train_from_file(argv[1]);
    struct fann_train_data *val = fann_read_train_from_file(argv[2]);
    if (train == NULL || val == NULL) { fprintf(stderr, "cannot read %s or %s\n", argv[1], argv[2]); return 1; }

    unsigned int layers[16], num_layers = 0;
    char *spec = strdup(argv[3]);
    for (char *tok = strtok(spec, ","); tok != NULL && num_layers < 16; tok = strtok(NULL, ",")) layers[num_layers++] = (unsigned int)atoi(tok);
    int epochs = atoi(argv[4]);
    int minibatch = strcmp(argv[5], "minibatch") == 0;
    unsigned int batch = (unsigned int)atoi(argv[6]);
    float rate = (float)atof(argv[7]);
    srand((unsigned int)atoi(argv[8]));
    double target = atof(argv[9]);

    struct fann *ann = fann_create_standard_array(num_layers, layers);
    fann_set_activation_function_hidden(ann, FANN_SIGMOID_SYMMETRIC);
    fann_set_activation_steepness_hidden(ann, 1.0f);    /* tanh(x) */
    fann_set_activation_function_output(ann, FANN_SIGMOID);
    fann_set_activation_steepness_output(ann, 0.5f);    /* 1 / (1 + e^-x) */
    fann_set_train_error_function(ann, FANN_ERRORFUNC_LINEAR);
    fann_set_learning_rate(ann, rate);
    fann_set_learning_momentum(ann, 0.0f);
    fann_randomize_weights(ann, -0.1f, 0.1f);
    fann_set_training_algorithm(ann, minibatch ? FANN_TRAIN_BATCH : FANN_TRAIN_INCREMENTAL);

    unsigned int n = fann_length_train_data(train);
    if (batch < 1) batch = 1;
    unsigned int slices = (n + batch - 1) / batch;

    double elapsed = 0, wall = 0, time_to_target = -1, acc = 0;
    int epoch_to_target = -1;
    printf("{\"tool\":\"FANN %s\",\"mode\":\"%s\",\"layers\":\"%s\",\"samples\":%u,\"connections\":%u,\"epochs\":%d,\"accuracy\":[",
           "2.2", minibatch ? "minibatch" : "incremental", argv[3], n, fann_get_total_connections(ann), epochs);
    for (int e = 1; e <= epochs; e++) {
        double start = now_seconds();
        fann_shuffle_train_data(train);
        if (minibatch) {
            for (unsigned int s = 0; s < slices; s++) {
                struct fann_train_data view = *train;
                unsigned int at = s * batch;
                view.num_data = n - at < batch ? n - at : batch;
                view.input = train->input + at;
                view.output = train->output + at;
                fann_train_epoch(ann, &view);
            }
        } else {
            fann_train_epoch(ann, train);
        }
        double trained = now_seconds();
        elapsed += trained - start;
        acc = accuracy(ann, val);
        wall += now_seconds() - start;
        printf("%s%.4f", e > 1 ? "," : "", acc);
        if (time_to_target < 0 && acc >= target) { time_to_target = wall; epoch_to_target = e; }
    }
    printf("],\"seconds\":%.6f,\"samples_per_second\":%.1f,\"final_accuracy\":%.4f,\"target\":%.4f,\"epoch_to_target\":%d,\"seconds_to_target\":%.6f}\n",
           elapsed, (double)n * epochs / elapsed, acc, target, epoch_to_target, time_to_target);
    return 0;
}
