#%python
#%input=command
#%output=b_output
#%cache=true
#%schema=st(field(features,array(double)),field(label,long)))
#%dataMode=model
#%env=source /Users/allwefantasy/opt/anaconda3/bin/activate ray1.7.0

from sklearn.datasets import load_breast_cancer
from pyjava.api.mlsql import RayContext,PythonContext

context: PythonContext = context
ray_context = RayContext.connect(globals(), None)
# suppose the train_x/train_y is also batch by batch
train_x, train_y = load_breast_cancer(return_X_y=True)
def generate_rows():
    for row in zip(train_x,train_y):
        yield {"features":row[0],"label":row[1]}

context.build_result(generate_rows())
