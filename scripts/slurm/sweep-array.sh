#!/bin/bash
#SBATCH --job-name=fluctlab-sweep
#SBATCH --array=0-3
#SBATCH --cpus-per-task=1
#SBATCH --output=results/slurm-%A_%a.out
# One shard of the sweep per array task, each into its own folder of a results folder all tasks share. A task that was
# killed (scancel, a node lost, a time limit) left its folder behind: resubmitting the task resumes it there.
out="results/shard-$SLURM_ARRAY_TASK_ID"
if [ -f "$out/manifest.json" ]; then
  exec npx fluctlab sweep --resume "$out" --workers "$SLURM_CPUS_PER_TASK" --no-report --quiet
fi
exec npx fluctlab sweep --lr 0.3,0.1,0.03,0.01 --epochs 2 --shard auto/4 --workers "$SLURM_CPUS_PER_TASK" --out "$out" --no-report --quiet
